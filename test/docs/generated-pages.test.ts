import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseTrace, readTraces, renderDiagram } from "../../scripts/docs/behavior-page.js";
import { generatedPages } from "../../scripts/generate-behavior-docs.js";
import { ROOT } from "../cli/run-cli.js";
import { GOLDEN_DIR } from "../support/golden.js";

describe("generated documentation pages", () => {
  for (const page of generatedPages()) {
    it(`${page.file} is up to date`, () => {
      const current = readFileSync(path.join(ROOT, page.file), "utf8");

      expect(current, `${page.file} is stale: run npm run docs and commit the result`).toBe(
        page.content,
      );
    });
  }

  it("shows every golden trace", () => {
    const behavior = readFileSync(path.join(ROOT, "docs", "behavior.md"), "utf8");

    for (const trace of readTraces(GOLDEN_DIR)) {
      expect(behavior).toContain(`From \`test/golden/${trace.name}.trace\`.`);
      expect(behavior).toContain(trace.title);
    }
  });
});

describe("sequence diagram", () => {
  it("draws calls, callbacks and wire lines", () => {
    const trace = parseTrace(
      "example",
      [
        "# Example",
        "",
        "## callbacks",
        "Connect(server, FALSE, TRUE) → S_OK",
        "  status IXP_FINDINGHOST (sync)",
        'send "HELO x\\r\\n"',
        'resp "250 ok" 0x000CCC74',
        "",
        "## wire",
        "C: HELO x",
        "",
      ].join("\n"),
    );

    expect(renderDiagram(trace).split("\n")).toEqual([
      "caller    imnxport     server",
      "  │──────────▶│           │   Connect(server, FALSE, TRUE) → S_OK",
      "  │◀──────────│           │     status IXP_FINDINGHOST (sync)",
      '  │◀──────────│──────────▶│   send "HELO x\\r\\n"',
      '  │◀──────────│◀──────────│   resp "250 ok" 0x000CCC74',
    ]);
    expect(trace.wire).toEqual(["C: HELO x"]);
  });

  it("rejects a file without sections", () => {
    expect(() => parseTrace("broken", "no title\n")).toThrow(/Invalid golden trace broken/);
  });
});
