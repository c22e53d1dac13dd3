import { describe, expect, it } from "vitest";
import { ISF_SSLONSAMEPORT } from "../../src/imnxport/constants.js";
import {
  IXP_E_SECURE_CONNECT_FAILED,
  IXP_E_SMTP_454_STARTTLS_FAILED,
  IXP_E_SMTP_502_COMMAND_NOTIMPL,
  IXP_E_SMTP_NO_STARTTLS_SUPPORT,
  IXP_E_SMTP_UNKNOWN_RESPONSE_CODE,
} from "../../src/imnxport/hresults.js";
import { expectScenario, runScenario } from "../support/scenario.js";
import { nameOf } from "../support/trace.js";

const REQUIRED = { fSSL: true, dwFlags: ISF_SSLONSAMEPORT } as const;
const OFFERED = ["mail.test", "PIPELINING", "STARTTLS", "SIZE 10240000"];

/** Commands that must never cross the connection in plaintext when TLS is required. */
function plaintextCommands(commands: readonly string[]): string[] {
  return commands.filter((command) => /^(AUTH|MAIL|RCPT|DATA)\b/.test(command));
}

describe("STARTTLS required", () => {
  it("stripped STARTTLS ends without QUIT", async () => {
    const run = await expectScenario(
      "starttls-not-offered",
      "TLS is required but the EHLO reply lists no STARTTLS: 0x800CCC7D with the last EHLO line, no QUIT",
      { serverFields: REQUIRED },
    );
    const error = run.recorder.errors[0];

    expect(run.recorder.errors).toHaveLength(1);
    expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_NO_STARTTLS_SUPPORT));
    expect(error?.uiServerError).toBe(250);
    expect(error?.pszResponse).toBe("250 SIZE 10240000");
    expect(run.connection?.commands).toEqual(["EHLO client.example.org"]);
  });

  for (const [code, reply, hr] of [
    [454, "454 4.7.0 TLS not available due to temporary reason", IXP_E_SMTP_454_STARTTLS_FAILED],
    [502, "502 5.5.1 Command not implemented", IXP_E_SMTP_502_COMMAND_NOTIMPL],
  ] as const) {
    it(`STARTTLS refused with ${code}`, async () => {
      const run = await runScenario({
        serverFields: REQUIRED,
        server: { ehloCapabilities: OFFERED, replies: { STARTTLS: `${reply}\r\n` } },
      });

      expect(run.recorder.errors).toHaveLength(1);
      expect(nameOf(run.recorder.errors[0]?.hrResult ?? 0)).toBe(nameOf(hr));
      expect(run.recorder.errors[0]?.pszResponse).toBe(reply);
      expect(plaintextCommands(run.connection?.commands ?? [])).toEqual([]);
      expect(run.connection?.commands.at(-1)).toBe("QUIT");
    });
  }

  it("STARTTLS answered 354 is a protocol error", async () => {
    const run = await runScenario({
      serverFields: REQUIRED,
      server: { ehloCapabilities: OFFERED, replies: { STARTTLS: "354 do something else\r\n" } },
    });

    expect(nameOf(run.recorder.errors[0]?.hrResult ?? 0)).toBe(
      nameOf(IXP_E_SMTP_UNKNOWN_RESPONSE_CODE),
    );
    expect(plaintextCommands(run.connection?.commands ?? [])).toEqual([]);
  });

  it("bytes after the 220 are discarded", async () => {
    const run = await runScenario({
      serverFields: REQUIRED,
      server: {
        ehloCapabilities: OFFERED,
        replies: { STARTTLS: "220 Ready to start TLS\r\n250-evil.example\r\n250 AUTH LOGIN\r\n" },
      },
    });
    const error = run.recorder.errors[0];

    expect(run.recorder.lines.some((line) => line.includes("evil.example"))).toBe(false);
    expect(run.recorder.lines.some((line) => line.includes("AUTH LOGIN"))).toBe(false);
    expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_SECURE_CONNECT_FAILED));
    expect(run.recorder.lines).toContain("status IXP_SECURING");
    expect(plaintextCommands(run.connection?.commands ?? [])).toEqual([]);
  });

  it("plaintext after the 220 fails the handshake", async () => {
    const run = await runScenario({
      serverFields: REQUIRED,
      server: {
        ehloCapabilities: OFFERED,
        replies: { STARTTLS: { write: ["220 Ready\r\n", "454 TLS failed\r\n"], after: "keep" } },
      },
    });

    expect(nameOf(run.recorder.errors[0]?.hrResult ?? 0)).toBe(nameOf(IXP_E_SECURE_CONNECT_FAILED));
    expect(run.recorder.errors).toHaveLength(1);
    expect(plaintextCommands(run.connection?.commands ?? [])).toEqual([]);
    expect(run.recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
  });
});

describe("STARTTLS opportunistic", () => {
  it("goes on in plaintext when not offered", async () => {
    const run = await runScenario({ serverFields: { dwFlags: ISF_SSLONSAMEPORT } });

    expect(run.recorder.errors).toEqual([]);
    expect(run.connection?.commands).toContain("DATA");
    expect(run.recorder.lines).not.toContain("status IXP_SECURING");
  });
});
