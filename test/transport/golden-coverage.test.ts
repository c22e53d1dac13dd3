import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SMTPCOMMAND } from "../../src/imnxport/enums.js";
import { GOLDEN_DIR } from "../support/golden.js";

/** Every command the transport reports; SMTP_NONE names no command. */
const REPORTED_COMMANDS = Object.keys(SMTPCOMMAND).filter((name) => name !== "SMTP_NONE");

describe("golden traces", () => {
  const traces = readdirSync(GOLDEN_DIR)
    .filter((file) => file.endsWith(".trace"))
    .map((file) => readFileSync(join(GOLDEN_DIR, file), "utf8"));

  for (const name of REPORTED_COMMANDS) {
    it(`show ${name} in a response`, () => {
      expect(traces.some((trace) => trace.includes(`R{${name},`))).toBe(true);
    });
  }
});
