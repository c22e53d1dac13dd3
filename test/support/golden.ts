import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/** Folder of the golden traces: the expected callback sequence of each scenario. */
export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "golden");

/** A golden trace: what the scenario does, the callbacks in order, and the bytes on the wire. */
export interface GoldenTrace {
  title: string;
  callbacks: readonly string[];
  wire: readonly string[];
}

/** Render a trace in the file format the docs reuse. */
export function renderTrace(trace: GoldenTrace): string {
  return [
    `# ${trace.title}`,
    "",
    "## callbacks",
    ...trace.callbacks,
    "",
    "## wire",
    ...trace.wire,
    "",
  ].join("\n");
}

/**
 * Compare a trace with `test/golden/<name>.trace`. With UPDATE_GOLDEN=1 in the environment the
 * file is written instead; a missing file is an error otherwise, so CI cannot pass vacuously.
 */
export function expectGolden(name: string, trace: GoldenTrace): void {
  const file = join(GOLDEN_DIR, `${name}.trace`);
  const actual = renderTrace(trace);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }

  if (!existsSync(file)) {
    throw new Error(
      `Golden trace ${file} is missing; run the tests with UPDATE_GOLDEN=1 to create it`,
    );
  }

  expect(actual).toBe(readFileSync(file, "utf8"));
}
