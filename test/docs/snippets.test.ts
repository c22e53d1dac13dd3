import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../cli/run-cli.js";

const PAGES = ["docs/getting-started.md", "docs/porting-guide.md"];
const OUT = path.join(ROOT, "test-artifacts", "doc-snippets");

/**
 * Split the ```ts blocks of a page into modules. A block that starts with `import` opens a new
 * module, and the blocks after it continue that module, as a reader follows the page.
 */
function snippetModules(page: string): string[] {
  const markdown = readFileSync(path.join(ROOT, page), "utf8");
  const modules: string[] = [];
  for (const match of markdown.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const code = match[1] ?? "";
    if (code.startsWith("import ") || modules.length === 0) {
      modules.push(code);
    } else {
      modules[modules.length - 1] += `\n${code}`;
    }
  }
  return modules;
}

describe("documentation snippets", () => {
  it("type-check against the package", () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const files: string[] = [];
    for (const page of PAGES) {
      snippetModules(page).forEach((code, index) => {
        const file = path.join(OUT, `${path.basename(page, ".md")}-${index + 1}.ts`);
        writeFileSync(file, code);
        files.push(file);
      });
    }

    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2022.d.ts"],
      types: ["node"],
      typeRoots: [path.join(ROOT, "node_modules", "@types")],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      paths: { imnxport: [path.join(ROOT, "src", "index.ts")] },
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter(
        (diagnostic) => diagnostic.file === undefined || files.includes(diagnostic.file.fileName),
      )
      .map((diagnostic) => {
        const where = diagnostic.file?.fileName ?? "";
        const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
        return `${path.basename(where)}: ${text}`;
      });

    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
  }, 60_000);
});
