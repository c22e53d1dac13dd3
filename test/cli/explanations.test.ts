import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ALIASES,
  EXPLANATIONS,
  findExplanation,
  formatExplanation,
  parseHresultQuery,
} from "../../src/cli/explanations.js";
import { formatBytes, ProgressBar, renderProgress } from "../../src/cli/progress-bar.js";
import { HRESULT_NAMES } from "../../src/imnxport/hresults.js";
import { ROOT } from "./run-cli.js";

/**
 * Collect the doc comment of each `export const NAME = 0x…;` in a source file, as one line, with
 * `{@link X}` written as X and a leading `NAME: ` removed.
 */
function docComments(file: string): Map<string, string> {
  const source = readFileSync(path.join(ROOT, file), "utf8");
  const comments = new Map<string, string>();
  const pattern = /\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*export const (\w+) = 0x[0-9a-fA-F]+;/g;
  for (const match of source.matchAll(pattern)) {
    const name = match[2] ?? "";
    const text = (match[1] ?? "")
      .split("\n")
      .map((line) => line.replace(/^\s*\*?\s?/, "").trim())
      .join(" ")
      .replace(/\s+/g, " ")
      .replace(/\{@link (\w+)\}/g, "$1")
      .trim()
      .replace(new RegExp(`^${name}: (.)`), (_all, first: string) => first.toUpperCase());
    comments.set(name, text);
  }
  return comments;
}

const DOCS = new Map([
  ...docComments("src/imnxport/hresults.ts"),
  ...docComments("src/compat/com/file-stream.ts"),
  ...docComments("src/compat/com/seek.ts"),
]);

describe("explanations table", () => {
  it("covers every named HRESULT", () => {
    const names = EXPLANATIONS.map((entry) => entry.name);

    for (const [value, name] of HRESULT_NAMES) {
      expect(names, name).toContain(name);
      expect(findExplanation({ kind: "value", value })?.name).toBe(name);
    }
  });

  it("has unique names and values", () => {
    const names = new Set(EXPLANATIONS.map((entry) => entry.name));
    const values = new Set(EXPLANATIONS.map((entry) => entry.value));

    expect(names.size).toBe(EXPLANATIONS.length);
    expect(values.size).toBe(EXPLANATIONS.length);
  });

  for (const entry of EXPLANATIONS) {
    it(`quotes the doc comment of ${entry.name}`, () => {
      expect(DOCS.has(entry.name), `no doc comment found for ${entry.name}`).toBe(true);
      expect(entry.meaning).toBe(DOCS.get(entry.name));
      expect(entry.when.length).toBeGreaterThan(10);
      expect(entry.fix.length).toBeGreaterThan(5);
    });
  }

  it("resolves aliases", () => {
    for (const [alias, name] of Object.entries(ALIASES)) {
      expect(findExplanation({ kind: "name", name: alias })?.name).toBe(name);
    }
  });
});

describe("parseHresultQuery", () => {
  const values: Array<[string, number]> = [
    ["0x800CCC79", 0x800ccc79],
    ["0x800ccc79", 0x800ccc79],
    ["800CCC79", 0x800ccc79],
    ["2148322425", 0x800ccc79],
    ["-2146644871", 0x800ccc79],
    ["0x1", 1],
    ["0", 0],
  ];
  for (const [text, value] of values) {
    it(`reads ${text}`, () => {
      expect(parseHresultQuery(text)).toEqual({ kind: "value", value });
    });
  }

  it("reads names case-insensitively", () => {
    expect(parseHresultQuery("ixp_e_busy")).toEqual({ kind: "name", name: "IXP_E_BUSY" });
  });

  for (const text of ["0xZZ", "0x123456789", "4294967296", "-2147483649", "", "a b"]) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      expect(parseHresultQuery(text)).toBeNull();
    });
  }
});

describe("formatExplanation", () => {
  it("wraps long fields", () => {
    const entry = findExplanation({ kind: "name", name: "IXP_E_CONNECTION_DROPPED" });
    if (entry === undefined) {
      throw new Error("IXP_E_CONNECTION_DROPPED has no explanation");
    }
    const text = formatExplanation(entry, 60);

    for (const line of text.split("\n")) {
      expect(line.length).toBeLessThanOrEqual(60);
    }
    expect(text).toMatch(/\n {9}\S/);
  });
});

describe("progress bar", () => {
  it("renders fractions", () => {
    expect(renderProgress(0, 100)).toBe(`Sending [${".".repeat(30)}]   0%  0 B of 100 B`);
    expect(renderProgress(50, 100)).toBe(
      `Sending [${"#".repeat(15)}${".".repeat(15)}]  50%  50 B of 100 B`,
    );
    expect(renderProgress(150, 100)).toContain("100%");
    expect(renderProgress(2048, 0)).toBe("Sending 2.0 KiB");
  });

  it("formats bytes", () => {
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MiB");
  });

  it("clears and redraws", () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ write: (text: string) => writes.push(text) });

    bar.update(1, 2);
    bar.clear();
    bar.redraw();
    bar.finish();

    expect(writes).toEqual([
      `\r${renderProgress(1, 2)}\x1b[K`,
      "\r\x1b[K",
      `\r${renderProgress(1, 2)}\x1b[K`,
      "\n",
    ]);
  });
});
