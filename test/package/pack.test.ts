import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../cli/run-cli.js";

interface PackedFile {
  path: string;
}

const TOP_LEVEL = new Set(["package.json", "README.md", "LICENSE", "CHANGELOG.md"]);
const DIST_FILE = /^dist\/[\w./-]+(?:\.js|\.d\.ts|\.js\.map|\.d\.ts\.map)$/;

let files: string[] = [];
let consumer = "";

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout: 180_000 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stderr}`));
        return;
      }
      resolve(stdout);
    });
  });
}

beforeAll(async () => {
  // prepack runs `npm run build`, so dist/ is fresh; its output goes to stderr with --json.
  const output = await run("npm", ["pack", "--dry-run", "--json"], ROOT);
  const [pack] = JSON.parse(output) as Array<{ files: PackedFile[] }>;
  files = (pack?.files ?? []).map((file) => file.path);

  consumer = mkdtempSync(path.join(os.tmpdir(), "imnxport-consumer-"));
  mkdirSync(path.join(consumer, "node_modules"));
  symlinkSync(ROOT, path.join(consumer, "node_modules", "imnxport"), "dir");
  writeFileSync(path.join(consumer, "package.json"), '{ "type": "module" }\n');
}, 240_000);

afterAll(() => {
  if (consumer !== "") {
    rmSync(consumer, { recursive: true, force: true });
  }
});

describe("npm pack", () => {
  it("contains only dist and the top-level documents", () => {
    const unexpected = files.filter((file) => !TOP_LEVEL.has(file) && !DIST_FILE.test(file));

    expect(unexpected).toEqual([]);
    for (const file of TOP_LEVEL) {
      expect(files).toContain(file);
    }
  });

  it("contains the entry points", () => {
    for (const file of ["dist/index.js", "dist/index.d.ts", "dist/cli/main.js"]) {
      expect(files).toContain(file);
    }
  });

  it("leaves out tests, demo and scripts", () => {
    const sources = files.filter((file) => /^dist\/(?:test|demo|scripts|src)\//.test(file));

    expect(sources).toEqual([]);
  });

  it("declares the exports, the types and the bin", () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

    expect(manifest.type).toBe("module");
    expect(manifest.exports["."]).toEqual({
      types: "./dist/index.d.ts",
      import: "./dist/index.js",
    });
    expect(manifest.bin).toEqual({ imnxport: "dist/cli/main.js" });
    expect(files).toContain(manifest.bin.imnxport);
  });

  it("starts the CLI with a shebang", () => {
    const main = readFileSync(path.join(ROOT, "dist", "cli", "main.js"), "utf8");

    expect(main.startsWith("#!/usr/bin/env node\n")).toBe(true);
  });
});

describe("installed package", () => {
  it("resolves types for import", () => {
    const file = path.join(consumer, "consumer.ts");
    writeFileSync(
      file,
      [
        'import { connect, createSMTPTransport, IXP_E_SMTP_REJECTED_RECIPIENTS, SMTPError } from "imnxport";',
        "const transport = createSMTPTransport();",
        "const hr: number = transport.CommandQUIT();",
        "const code: 0x800ccc79 = IXP_E_SMTP_REJECTED_RECIPIENTS;",
        "export async function send(): Promise<number> {",
        '  const client = await connect({ host: "127.0.0.1" });',
        '  const result = await client.send({ from: "a@x.test", to: ["b@y.test"], message: "x" });',
        "  return result.code + hr + code;",
        "}",
        "export const isError = (error: unknown): boolean => error instanceof SMTPError;",
        "",
      ].join("\n"),
    );
    const program = ts.createProgram([file], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2022.d.ts"],
      types: ["node"],
      typeRoots: [path.join(ROOT, "node_modules", "@types")],
      strict: true,
      noEmit: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));

    expect(problems).toEqual([]);
    const resolved = program.getSourceFiles().map((source) => source.fileName);
    expect(resolved).toContain(path.join(ROOT, "dist", "index.d.ts"));
  });

  it("loads with import, also from CommonJS", async () => {
    writeFileSync(
      path.join(consumer, "esm.js"),
      'import { connect, SMTPError } from "imnxport";\nconsole.log(typeof connect, typeof SMTPError);\n',
    );
    writeFileSync(
      path.join(consumer, "cjs.cjs"),
      'import("imnxport").then((m) => console.log(typeof m.createSMTPTransport));\n',
    );

    expect(await run(process.execPath, ["esm.js"], consumer)).toBe("function function\n");
    expect(await run(process.execPath, ["cjs.cjs"], consumer)).toBe("function\n");
  });
});
