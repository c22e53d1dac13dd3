/**
 * Writes the generated pages of the documentation site: docs/behavior.md from the golden traces
 * in test/golden, and docs/errors.md from the explanations table of the CLI. `npm run docs` runs
 * it before typedoc, and test/docs/generated-pages.test.ts fails when a page is out of date.
 * Pages are formatted with the repository's Biome, so `npm run lint` and `biome check --write`
 * leave them as generated. A page whose content is unchanged is not rewritten.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readTraces, renderBehaviorPage } from "./docs/behavior-page.js";
import { renderErrorsPage } from "./docs/errors-page.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const BIOME = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");

/** Render each generated page: its path from the repository root and its current content. */
export function generatedPages(): Array<{ file: string; content: string }> {
  const pages = [
    {
      file: "docs/behavior.md",
      content: renderBehaviorPage(readTraces(path.join(ROOT, "test", "golden"))),
    },
    { file: "docs/errors.md", content: renderErrorsPage() },
  ];
  return pages.map((page) => ({ ...page, content: formatMarkdown(page.file, page.content) }));
}

/** Format a page as `biome format` writes it, with the settings of biome.json. */
function formatMarkdown(file: string, content: string): string {
  return execFileSync(process.execPath, [BIOME, "format", `--stdin-file-path=${file}`], {
    cwd: ROOT,
    input: content,
    encoding: "utf8",
  });
}

/** Write the pages that changed, each through a temporary file so readers never see half. */
function writePages(): void {
  for (const page of generatedPages()) {
    const target = path.join(ROOT, page.file);
    if (existsSync(target) && readFileSync(target, "utf8") === page.content) {
      continue;
    }

    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, page.content);
    renameSync(temporary, target);
    process.stdout.write(`Wrote ${page.file}\n`);
  }
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  writePages();
}
