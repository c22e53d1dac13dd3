import { describe, expect, it } from "vitest";
import { runCliProcess } from "./run-cli.js";

describe("imnxport demo", () => {
  it("exits 0 after the check", async () => {
    const result = await runCliProcess(["demo"]);
    const lines = result.stdout.split("\n");

    expect(result.code).toBe(0);
    expect(lines[0]).toMatch(/^Built-in SMTP sink listening on 127\.0\.0\.1:\d+$/);
    expect(lines[1]).toBe("Connect(server, FALSE, TRUE) → S_OK");
    expect(lines).toContain("SendMessage(message) → S_OK");
    expect(lines).toContain('send "RCPT TO:<second@example.org>\\r\\n"');
    expect(lines.some((line) => line.startsWith("R{SMTP_SEND_MESSAGE, TRUE, S_OK, 250"))).toBe(
      true,
    );
    expect(result.stdout).toMatch(/sent as CRLF, byte for byte\.\n$/);
    expect(result.stderr).toBe("");
  });

  it("rejects arguments", async () => {
    const result = await runCliProcess(["demo", "extra"]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^imnxport: demo takes no arguments, got extra\n/);
  });
});

describe("imnxport explain", () => {
  const cases: Array<[string, string]> = [
    ["0x800CCC79", "IXP_E_SMTP_REJECTED_RECIPIENTS = 0x800CCC79 (failure)"],
    ["IXP_E_SMTP_REJECTED_RECIPIENTS", "IXP_E_SMTP_REJECTED_RECIPIENTS = 0x800CCC79 (failure)"],
    ["ixp_e_timeout", "IXP_E_TIMEOUT = 0x800CCC19 (failure)"],
    ["800ccc0e", "IXP_E_FAILED_TO_CONNECT = 0x800CCC0E (failure)"],
    ["-2146644977", "IXP_E_CONNECTION_DROPPED = 0x800CCC0F (failure)"],
    ["0x000CCC79", "IXP_E_SMTP_245_AUTH_SUCCESS = 0x000CCC79 (success)"],
    ["NOERROR", "S_OK = 0x00000000 (success)"],
    ["IXP_E_SCOKET_INIT_ERROR", "IXP_E_SOCKET_INIT_ERROR = 0x800CCC14 (failure)"],
    ["E_NOTIMPL", "E_NOTIMPL = 0x80004001 (failure)"],
    ["STG_E_FILENOTFOUND", "STG_E_FILENOTFOUND = 0x80030002 (failure)"],
  ];
  for (const [input, headline] of cases) {
    it(`explains ${input}`, async () => {
      const result = await runCliProcess(["explain", input]);

      expect(result.code).toBe(0);
      expect(result.stdout.split("\n")[0]).toBe(headline);
      expect(result.stdout).toMatch(/\nMeaning: \S/);
      expect(result.stdout).toMatch(/\nWhen: {4}\S/);
      expect(result.stdout).toMatch(/\nFix: {5}\S/);
    });
  }

  it("warns of the success twin", async () => {
    const result = await runCliProcess(["explain", "IXP_E_SMTP_NO_DSN_SUPPORT"]);

    expect(result.stdout).toContain("Caution: Not to be confused with IXP_S_SMTP_NO_DSN_SUPPORT");
  });

  it("explains a Winsock number", async () => {
    const result = await runCliProcess(["explain", "10061"]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Socket error 10061: WSAECONNREFUSED: connection refused\.\n/);
  });

  it("lists every code", async () => {
    const result = await runCliProcess(["explain", "--list"]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("0x800CCC79  IXP_E_SMTP_REJECTED_RECIPIENTS\n");
    expect(result.stdout.trim().split("\n").length).toBeGreaterThan(70);
  });

  it("reports an unknown code", async () => {
    const result = await runCliProcess(["explain", "0x12345678"]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Unknown HRESULT 0x12345678: imnxport does not define it/);
  });
});

describe("bad arguments", () => {
  const cases: Array<[string[], string]> = [
    [[], "Missing command"],
    [["frobnicate"], 'Unknown command "frobnicate"'],
    [["send", "--bogus"], "Unknown option '--bogus'."],
    [["send", "message.eml"], "Missing --server HOST[:PORT]"],
    [["send", "--server", "mail.test:99999", "message.eml"], 'Invalid --server "mail.test:99999"'],
    [
      ["send", "--server", "mail.test", "--from", "a@x.test", "message.eml"],
      "Missing --to ADDRESS",
    ],
    [["send", "--server", "mail.test", "--tls", "--starttls", "m.eml"], "--starttls and --tls"],
    [
      [
        "send",
        "--server",
        "mail.test",
        "--from",
        "a@x.test",
        "--to",
        "b@y.test",
        "--timeout",
        "0",
        "m.eml",
      ],
      'Invalid --timeout "0"',
    ],
    [["send", "--server", "mail.test"], "Missing the message file"],
    [["explain"], "Missing CODE"],
    [["explain", "0xZZ"], 'Invalid CODE "0xZZ"'],
    [["explain", "--list", "0x1"], "explain --list takes no CODE"],
  ];
  for (const [args, message] of cases) {
    it(`exits 2 for ${args.join(" ") || "no arguments"}`, async () => {
      const result = await runCliProcess(args);
      const [first, blank, usage] = result.stderr.split("\n");

      expect(result.code).toBe(2);
      expect(first).toContain(message);
      expect(first?.startsWith("imnxport: ")).toBe(true);
      expect(blank).toBe("");
      expect(usage).toBe("usage: imnxport <command> [options]");
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe("");
    });
  }

  it("prints help on request", async () => {
    const result = await runCliProcess(["--help"]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: imnxport <command> \[options\]\n/);
    expect(result.stderr).toBe("");
  });
});
