import { describe, expect, it } from "vitest";
import { ISF_QUERYDSNSUPPORT } from "../../src/imnxport/constants.js";
import {
  SMTP_BANNER,
  SMTP_CONNECTED,
  SMTP_EHLO,
  SMTP_MAIL,
  SMTP_RCPT,
  SMTP_SEND_MESSAGE,
} from "../../src/imnxport/enums.js";
import {
  IXP_E_NOT_CONNECTED,
  IXP_E_SMTP_421_NOT_AVAILABLE,
  IXP_E_SMTP_500_SYNTAX_ERROR,
  IXP_E_SMTP_550_MAILBOX_NOT_FOUND,
  IXP_E_SMTP_554_TRANSACT_FAILED,
  IXP_E_SMTP_REJECTED_RECIPIENTS,
  IXP_E_SMTP_REJECTED_SENDER,
  IXP_E_SMTP_RESPONSE_ERROR,
  IXP_E_SMTP_UNKNOWN_RESPONSE_CODE,
  S_OK,
} from "../../src/imnxport/hresults.js";
import type { SMTPRESPONSE } from "../../src/imnxport/structs.js";
import { runScenario, type ScenarioRun } from "../support/scenario.js";
import type { Reply } from "../support/scripted-server.js";
import {
  expectDisconnectedLast,
  expectFailedWith,
  expectNoMessageResult,
} from "../support/session-checks.js";
import { formatHr, nameOf } from "../support/trace.js";

const HELO = "HELO client.example.org\r\n";
const MAIL = "MAIL FROM:<a@x.test>\r\n";

function wire(run: ScenarioRun): string {
  return run.connection?.received.toString("latin1") ?? "";
}

function responsesFor(run: ScenarioRun, command: number): SMTPRESPONSE[] {
  return run.recorder.responses.filter((response) => response.command === command);
}

/** Asserts a protocol error that reports `text` and drops the connection without QUIT. */
function expectProtocolError(run: ScenarioRun, text: string): void {
  expectFailedWith(run.recorder, IXP_E_SMTP_UNKNOWN_RESPONSE_CODE);
  expect(run.recorder.errors[0]?.pszResponse).toBe(text);
  expect(run.connection?.clientClosed || run.connection?.clientReset).toBe(true);
  expectNoMessageResult(run.recorder);
}

describe("greeting syntax", () => {
  it("bare LF greeting accepted", async () => {
    const run = await runScenario({
      server: { greeting: "220 mx.example ESMTP\n" },
      message: null,
    });

    expect(responsesFor(run, SMTP_BANNER)[0]?.rIxpResult.pszResponse).toBe("220 mx.example ESMTP");
    expect(wire(run)).toBe(`${HELO}QUIT\r\n`);
    expect(run.recorder.errors).toEqual([]);
    expectDisconnectedLast(run.recorder);
  });

  for (const greeting of ["220\r\n", "220 \r\n"]) {
    it(`${JSON.stringify(greeting)} is a valid greeting`, async () => {
      const run = await runScenario({ server: { greeting }, message: null });

      expect(responsesFor(run, SMTP_BANNER).map((r) => r.rIxpResult.pszResponse)).toEqual([
        greeting.slice(0, -2),
      ]);
      expect(responsesFor(run, SMTP_CONNECTED)).toHaveLength(1);
      expect(wire(run)).toBe(`${HELO}QUIT\r\n`);
    });
  }

  const invalid = [
    "220OK",
    "22X OK",
    "XXX This is an invalid response.",
    "2200 OK",
    "25 OK",
    "666 Mouhahahaha!!",
    "699 Obscure",
    "100 Invalid",
    "260 ok",
    "233 Gimme all your mail, NOW!!",
    "354 Start mail input; End with <CRLF>.<CRLF>",
  ];
  for (const line of invalid) {
    it(`greeting ${JSON.stringify(line.slice(0, 12))} sends nothing`, async () => {
      const run = await runScenario({ server: { greeting: `${line}\r\n` } });

      expectProtocolError(run, line);
      expect(wire(run)).toBe("");
      expect(responsesFor(run, SMTP_BANNER)).toEqual([]);
    });
  }
});

describe("failure greetings", () => {
  const cases: Array<[line: string, hr: number]> = [
    ["446 Not right now, sorry.", IXP_E_SMTP_RESPONSE_ERROR],
    ["421 4.3.2 shutting down", IXP_E_SMTP_421_NOT_AVAILABLE],
    ["554 No SMTP service here", IXP_E_SMTP_554_TRANSACT_FAILED],
  ];

  for (const [line, hr] of cases) {
    it(`greeting ${line.slice(0, 3)} gets QUIT only`, async () => {
      const run = await runScenario({ server: { greeting: `${line}\r\n` } });
      const error = run.recorder.errors[0];

      expect(responsesFor(run, SMTP_BANNER).map((r) => nameOf(r.rIxpResult.hrResult))).toEqual([
        nameOf(hr),
      ]);
      expectFailedWith(run.recorder, hr);
      expect(error?.uiServerError).toBe(Number(line.slice(0, 3)));
      expect(error?.pszResponse).toBe(line);
      expect(wire(run)).toBe("QUIT\r\n");
      expectNoMessageResult(run.recorder);
    });
  }
});

/** Runs SendMessage against a server whose reply to MAIL is `reply`. */
function mailAnswered(reply: Reply): Promise<ScenarioRun> {
  return runScenario({ server: { replies: { MAIL: reply } } });
}

describe("invalid replies to MAIL", () => {
  const cases: Array<[reply: string, reported: string]> = [
    ["250OK\r\n", "250OK"],
    ["25X OK\r\n", "25X OK"],
    ["XXX This is an invalid response.\r\n", "XXX This is an invalid response."],
    ["2500 OK\r\n", "2500 OK"],
    ["25 OK\r\n", "25 OK"],
    ["666 Mouhahahaha!!\r\n", "666 Mouhahahaha!!"],
    ["699 Obscure\r\n", "699 Obscure"],
    ["100 Invalid\r\n", "100 Invalid"],
    ["260 ok\r\n", "260 ok"],
    ["250-First line\r\n340 And this is mismatched.\r\n", "340 And this is mismatched."],
    ["200-This is\r\n250 inconsistent.\r\n", "200-This is"],
    ["400 This \r is wrong\r\n", "400 This ? is wrong"],
  ];

  for (const [reply, reported] of cases) {
    it(`${JSON.stringify(reply.slice(0, 16))} drops without QUIT`, async () => {
      const run = await mailAnswered(reply);

      expectProtocolError(run, reported);
      expect(wire(run)).toBe(`${HELO}${MAIL}`);
      expect(responsesFor(run, SMTP_MAIL).filter((response) => response.fDone)).toEqual([]);
    });
  }
});

describe("reply text is untrusted", () => {
  it("control byte in 500 sanitized", async () => {
    const run = await mailAnswered(Buffer.from("500 This is \x03 worse\r\n", "latin1"));
    const mail = responsesFor(run, SMTP_MAIL)[0];
    const result = responsesFor(run, SMTP_SEND_MESSAGE)[0]?.rIxpResult;

    expect(mail?.rIxpResult.pszResponse).toBe("500 This is ? worse");
    expect(nameOf(mail?.rIxpResult.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_500_SYNTAX_ERROR));
    expect(run.recorder.lines).toContain(
      `resp "500 This is ? worse" ${formatHr(IXP_E_SMTP_500_SYNTAX_ERROR)}`,
    );
    expect(nameOf(result?.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_REJECTED_SENDER));
    expect(result?.pszResponse).toBe("500 This is ? worse");
    expect(wire(run)).toBe(`${HELO}${MAIL}RSET\r\nQUIT\r\n`);
    expect(run.recorder.errors).toEqual([]);
  });

  it("escape sequence in 550 sanitized", async () => {
    const line = "550 \x1b[2J\x1b[31mPassword expired, log in at http://evil";
    const sanitized = "550 ?[2J?[31mPassword expired, log in at http://evil";
    const run = await runScenario({ server: { replies: { RCPT: `${line}\r\n` } } });
    const rcpt = responsesFor(run, SMTP_RCPT)[0];
    const result = responsesFor(run, SMTP_SEND_MESSAGE)[0]?.rIxpResult;

    expect(rcpt?.rIxpResult.pszResponse).toBe(sanitized);
    expect(nameOf(rcpt?.rIxpResult.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_550_MAILBOX_NOT_FOUND));
    expect(nameOf(result?.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_REJECTED_RECIPIENTS));
    expect(result?.pszResponse).toBe(sanitized);
    expect(run.recorder.lines.join("\n")).not.toContain("\x1b");
    expect(wire(run)).toBe(`${HELO}${MAIL}RCPT TO:<b@y.test>\r\nRSET\r\nQUIT\r\n`);
  });
});

describe("oversized replies", () => {
  it("100000-byte line stops at 2048", async () => {
    const first = `250 ${"A".repeat(3996)}`;
    const run = await runScenario({
      server: {
        replies: { MAIL: { write: [first, "A".repeat(96_000)] } },
        chunkDelayMs: 60_000,
      },
    });

    expectProtocolError(run, `250 ${"A".repeat(2044)}`);
    expect(run.connection?.sent.length).toBeLessThan(8_000);
    expect(wire(run)).toBe(`${HELO}${MAIL}`);
    expect(run.transport.CommandRSET()).toBe(IXP_E_NOT_CONNECTED);
  });

  it("EHLO reply capped at 256 lines", async () => {
    const run = await runScenario({
      server: {
        replies: { EHLO: { write: ["250-x\r\n".repeat(300), "250-x\r\n".repeat(10_000)] } },
        chunkDelayMs: 60_000,
      },
      serverFields: { dwFlags: ISF_QUERYDSNSUPPORT },
    });
    const ehlo = responsesFor(run, SMTP_EHLO);

    expectProtocolError(run, "250-x");
    expect(ehlo).toHaveLength(256);
    expect(ehlo.every((response) => !response.fDone)).toBe(true);
    expect(run.connection?.sent.length).toBeLessThan(3_000);
    expect(wire(run)).toBe("EHLO client.example.org\r\n");
  });
});

describe("EHLO refused", () => {
  it("EHLO 502 falls back to HELO", async () => {
    const run = await runScenario({
      server: { replies: { EHLO: "502 EH?\r\n" } },
      serverFields: { dwFlags: ISF_QUERYDSNSUPPORT },
      message: null,
    });

    expect(responsesFor(run, SMTP_EHLO).map((r) => r.rIxpResult.uiServerError)).toEqual([502]);
    expect(responsesFor(run, SMTP_CONNECTED).map((r) => r.rIxpResult.hrResult)).toEqual([S_OK]);
    expect(wire(run)).toBe(`EHLO client.example.org\r\n${HELO}QUIT\r\n`);
    expect(run.recorder.errors).toEqual([]);
    expectDisconnectedLast(run.recorder);
  });
});
