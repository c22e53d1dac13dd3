import { afterEach, describe, expect, it } from "vitest";
import { BufferStream } from "../../src/compat/com/buffer-stream.js";
import { ISF_QUERYDSNSUPPORT } from "../../src/imnxport/constants.js";
import {
  SMTP_BANNER,
  SMTP_CONNECTED,
  SMTP_DATA,
  SMTP_DOT,
  SMTP_EHLO,
  SMTP_MAIL,
  SMTP_SEND_MESSAGE,
} from "../../src/imnxport/enums.js";
import {
  IXP_E_CONNECTION_DROPPED,
  IXP_E_SMTP_UNKNOWN_RESPONSE_CODE,
  S_OK,
} from "../../src/imnxport/hresults.js";
import type { SMTPRESPONSE } from "../../src/imnxport/structs.js";
import { closeSessions, type OpenSession, openSession } from "../support/open-session.js";
import { runScenario, type ScenarioRun, smtpMessage } from "../support/scenario.js";
import type { ScriptedServerOptions } from "../support/scripted-server.js";
import {
  expectDisconnectedLast,
  expectFailedWith,
  expectNoMessageResult,
} from "../support/session-checks.js";

const HELO = "HELO client.example.org\r\n";
const ENVELOPE = "MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\n";

function wire(run: ScenarioRun): string {
  return run.connection?.received.toString("latin1") ?? "";
}

function lines(responses: readonly SMTPRESPONSE[], command: number): Array<[string, boolean]> {
  return responses
    .filter((response) => response.command === command)
    .map((response) => [response.rIxpResult.pszResponse ?? "", response.fDone]);
}

describe("reply framing", () => {
  it("greeting in four segments", async () => {
    const run = await runScenario({
      server: {
        greeting: { write: ["2", "20-mx", ".example ESMTP\r", "\n220 ready\r\n"] },
        chunkDelayMs: 50,
      },
      message: null,
    });

    expect(lines(run.recorder.responses, SMTP_BANNER)).toEqual([
      ["220-mx.example ESMTP", false],
      ["220 ready", true],
    ]);
    expect(wire(run)).toBe(`${HELO}QUIT\r\n`);
    expect(run.recorder.errors).toEqual([]);
    expectDisconnectedLast(run.recorder);
  });

  it("byte-per-segment session matches whole", async () => {
    // Each run needs its own stream, because a stream is read from its current position.
    const message = () => smtpMessage("a@x.test", ["b@y.test"], "Subject: s\r\n\r\n.dot\r\n");
    const whole = await runScenario({ message: message() });
    const split = await runScenario({ server: { split: "bytes" }, message: message() });

    expect(split.recorder.lines).toEqual(whole.recorder.lines);
    expect(wire(split)).toBe(wire(whole));
    expect(split.connection?.transcript).toEqual(whole.connection?.transcript);
    expect(
      split.recorder.responses.find((r) => r.command === SMTP_SEND_MESSAGE)?.rIxpResult.hrResult,
    ).toBe(S_OK);
  });
});

describe("partial replies then FIN", () => {
  it("partial 500 is a lost connection", async () => {
    const run = await runScenario({
      server: { replies: { MAIL: { write: "500 Command not", after: "close" } } },
    });
    const error = run.recorder.errors[0];

    expectFailedWith(run.recorder, IXP_E_CONNECTION_DROPPED);
    expect(error?.uiServerError).toBe(250);
    expect(error?.pszResponse).toBe("250 mail.test");
    expect(lines(run.recorder.responses, SMTP_MAIL)).toEqual([]);
    expect(wire(run)).toBe(`${HELO}MAIL FROM:<a@x.test>\r\n`);
    expectNoMessageResult(run.recorder);
  });

  it("partial EHLO reply is a lost connection", async () => {
    const run = await runScenario({
      server: { replies: { EHLO: { write: "250-mx.example\r\n250-PIPE", after: "close" } } },
      serverFields: { dwFlags: ISF_QUERYDSNSUPPORT },
    });

    expectFailedWith(run.recorder, IXP_E_CONNECTION_DROPPED);
    expect(run.recorder.errors[0]?.pszResponse).toBe("250-mx.example");
    expect(lines(run.recorder.responses, SMTP_EHLO)).toEqual([["250-mx.example", false]]);
    expect(run.recorder.responses.some((r) => r.command === SMTP_CONNECTED)).toBe(false);
    expect(wire(run)).toBe("EHLO client.example.org\r\n");
  });
});

describe("replies nobody asked for", () => {
  it("EHLO reply before EHLO rejected", async () => {
    const run = await runScenario({
      server: { greeting: "220 mx ESMTP\r\n250-mx\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n" },
      serverFields: { dwFlags: ISF_QUERYDSNSUPPORT },
    });

    expectFailedWith(run.recorder, IXP_E_SMTP_UNKNOWN_RESPONSE_CODE);
    expect(run.recorder.errors[0]?.pszResponse).toBe("250-mx");
    expect(lines(run.recorder.responses, SMTP_EHLO)).toEqual([]);
    expect(run.recorder.responses.some((r) => r.command === SMTP_CONNECTED)).toBe(false);
    expect(wire(run)).toBe("EHLO client.example.org\r\n");
  });

  it("250 behind 354 aborts without dot", async () => {
    const run = await runScenario({
      server: {
        replies: { DATA: "354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued\r\n" },
      },
    });

    expectFailedWith(run.recorder, IXP_E_SMTP_UNKNOWN_RESPONSE_CODE);
    expect(run.recorder.errors[0]?.pszResponse).toBe("250 2.0.0 Ok: queued");
    expect(wire(run).startsWith(`${HELO}${ENVELOPE}DATA\r\n`)).toBe(true);
    expect(`\r\n${wire(run)}`).not.toContain("\r\n.\r\n");
    expect(run.connection?.bodies).toEqual([]);
    expectNoMessageResult(run.recorder);
  });

  it("second reply to RCPT rejected", async () => {
    const run = await runScenario({
      server: { replies: { RCPT: "250 2.1.5 Ok\r\n250 2.1.5 Again\r\n" } },
    });

    expectFailedWith(run.recorder, IXP_E_SMTP_UNKNOWN_RESPONSE_CODE);
    expect(run.recorder.errors[0]?.pszResponse).toBe("250 2.1.5 Again");
    expect(wire(run)).toBe(`${HELO}${ENVELOPE}`);
    expectNoMessageResult(run.recorder);
  });
});

/** Builds a body of `size` bytes in 76-character lines, long enough to be mid-transfer for a while. */
function largeBody(size: number): Buffer {
  const line = `${"x".repeat(76)}\r\n`;
  return Buffer.from(line.repeat(Math.ceil(size / line.length)).slice(0, size));
}

describe("replies during the body", () => {
  it("early 452 stops the body", async () => {
    const run = await runScenario({
      server: { duringBody: { afterBytes: 1000, reply: "452 4.3.1 Mail system full\r\n" } },
      message: smtpMessage("a@x.test", ["b@y.test"], largeBody(8 * 1024 * 1024)),
    });
    const result = run.recorder.responses.find((r) => r.command === SMTP_SEND_MESSAGE);

    expect(lines(run.recorder.responses, SMTP_DATA).at(-1)).toEqual([
      "452 4.3.1 Mail system full",
      true,
    ]);
    expect(result?.rIxpResult.uiServerError).toBe(452);
    expect(run.recorder.errors).toEqual([]);
    expect(`\r\n${wire(run)}`).not.toContain("\r\n.\r\n");
    expect(run.connection?.bodies).toEqual([]);
    expect(run.connection?.commands).not.toContain("RSET");
    expectDisconnectedLast(run.recorder);
  });

  it("early 250 is a protocol error", async () => {
    const run = await runScenario({
      server: { duringBody: { afterBytes: 1000, reply: "250 2.0.0 Ok: queued early\r\n" } },
      message: smtpMessage("a@x.test", ["b@y.test"], largeBody(8 * 1024 * 1024)),
    });

    expectFailedWith(run.recorder, IXP_E_SMTP_UNKNOWN_RESPONSE_CODE);
    expect(run.recorder.errors[0]?.pszResponse).toBe("250 2.0.0 Ok: queued early");
    expect(`\r\n${wire(run)}`).not.toContain("\r\n.\r\n");
    expect(run.connection?.bodies).toEqual([]);
    expectNoMessageResult(run.recorder);
  });
});

/** Starts a session, sends MAIL, RCPT and DATA, then SendDataStream with a large body. */
async function streamLargeBody(server: ScriptedServerOptions): Promise<OpenSession> {
  const session = await openSession({ server });
  const { transport, recorder } = session;
  transport.CommandMAIL("a@x.test");
  await recorder.waitFor(/^R\{SMTP_MAIL, TRUE/);
  transport.CommandRCPT("b@y.test");
  await recorder.waitFor(/^R\{SMTP_RCPT, TRUE/);
  transport.CommandDATA();
  await recorder.waitFor(/^R\{SMTP_DATA, TRUE/);
  expect(transport.SendDataStream(new BufferStream(largeBody(8 * 1024 * 1024)), 0)).toBe(S_OK);
  await recorder.disconnected();
  await session.server.waitForClose();
  return session;
}

describe("replies during SendDataStream", () => {
  afterEach(closeSessions);

  it("early 452 ends the stream", async () => {
    const { recorder, connection } = await streamLargeBody({
      duringBody: { afterBytes: 1000, reply: "452 4.3.1 Mail system full\r\n" },
    });

    expect(lines(recorder.responses, SMTP_DATA).at(-1)).toEqual([
      "452 4.3.1 Mail system full",
      true,
    ]);
    expect(recorder.errors).toEqual([]);
    expect(recorder.responses.some((response) => response.command === SMTP_DOT)).toBe(false);
    expect(connection.bodies).toEqual([]);
    expect(`\r\n${connection.received.toString("latin1")}`).not.toContain("\r\n.\r\n");
    expectDisconnectedLast(recorder);
  });

  it("early 250 is a protocol error", async () => {
    const { recorder, connection } = await streamLargeBody({
      duringBody: { afterBytes: 1000, reply: "250 2.0.0 Ok: queued early\r\n" },
    });

    expectFailedWith(recorder, IXP_E_SMTP_UNKNOWN_RESPONSE_CODE);
    expect(recorder.responses.some((response) => response.command === SMTP_DOT)).toBe(false);
    expect(connection.bodies).toEqual([]);
  });
});
