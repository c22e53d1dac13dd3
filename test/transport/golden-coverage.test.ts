import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SMTPCOMMAND } from "../../src/imnxport/enums.js";
import { GOLDEN_DIR } from "../support/golden.js";

/** Commands the transport reports without TLS, AUTH or extension commands. */
const REPORTED_COMMANDS = Object.keys(SMTPCOMMAND).filter(
  (name) => !["SMTP_NONE", "SMTP_AUTH", "SMTP_CUSTOM"].includes(name),
);

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
