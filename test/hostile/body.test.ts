import { afterEach, describe, expect, it } from "vitest";
import { BufferStream } from "../../src/compat/com/buffer-stream.js";
import { SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import {
  E_FAIL,
  E_INVALIDARG,
  IXP_E_SOCKET_READ_ERROR,
  S_OK,
} from "../../src/imnxport/hresults.js";
import type { IStream, STATSTG } from "../../src/imnxport/objidl.js";
import type { MessageSource } from "../../src/imnxport/structs.js";
import { closeSessions, openSession } from "../support/open-session.js";
import { runScenario, type ScenarioRun, smtpMessage } from "../support/scenario.js";
import type { ConnectionRecord } from "../support/scripted-server.js";
import {
  expectDisconnectedLast,
  expectFailedWith,
  expectNoMessageResult,
} from "../support/session-checks.js";
import { nameOf, type TraceRecorder } from "../support/trace.js";

afterEach(closeSessions);

const DATA_LINE = "DATA\r\n";

/** Returns the bytes the client sent after its DATA command line. */
function afterData(connection: ConnectionRecord | undefined): string {
  const received = connection?.received ?? Buffer.alloc(0);
  const start = received.indexOf(DATA_LINE);
  expect(start).toBeGreaterThan(-1);
  return received.subarray(start + DATA_LINE.length).toString("latin1");
}

function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Asserts that SendMessage ended with SMTP_SEND_MESSAGE S_OK as its only terminal callback. */
function expectSent(recorder: TraceRecorder): void {
  const results = recorder.responses.filter((response) => response.command === SMTP_SEND_MESSAGE);

  expect(results.map((response) => nameOf(response.rIxpResult.hrResult))).toEqual([nameOf(S_OK)]);
  expect(recorder.errors).toEqual([]);
  expectDisconnectedLast(recorder);
}

/** Sends `body` with SendMessage and returns the run, after checking that it was sent. */
async function sendBody(body: string | Buffer): Promise<ScenarioRun> {
  const run = await runScenario({ message: smtpMessage("a@x.test", ["b@y.test"], body) });
  expectSent(run.recorder);
  return run;
}

/**
 * Sends `source` with CommandMAIL, CommandRCPT, CommandDATA and SendDataStream, called from
 * outside the callbacks, then CommandQUIT, and returns the connection record.
 */
async function sendThroughDataStream(source: MessageSource): Promise<ConnectionRecord> {
  const { transport, recorder, connection, server } = await openSession();
  expect(transport.CommandMAIL("a@x.test")).toBe(S_OK);
  await recorder.waitFor(/^R\{SMTP_MAIL, TRUE/);
  expect(transport.CommandRCPT("b@y.test")).toBe(S_OK);
  await recorder.waitFor(/^R\{SMTP_RCPT, TRUE/);
  expect(transport.CommandDATA()).toBe(S_OK);
  await recorder.waitFor(/^R\{SMTP_DATA, TRUE/);
  expect(transport.SendDataStream(source, 0)).toBe(S_OK);
  await recorder.waitFor(/^R\{SMTP_DOT, TRUE/);
  expect(transport.CommandQUIT()).toBe(S_OK);
  await recorder.disconnected();
  await server.waitForClose();

  expect(recorder.errors).toEqual([]);
  expectDisconnectedLast(recorder);
  return connection;
}

const SMUGGLING_BODY = "Hi\n.\nMAIL FROM:<ceo@bank.example>\nRCPT TO:<v@x>\nDATA\nspoof\n.\n";
const SMUGGLING_WIRE =
  "Hi\r\n..\r\nMAIL FROM:<ceo@bank.example>\r\nRCPT TO:<v@x>\r\nDATA\r\nspoof\r\n..\r\n.\r\n";

describe("smuggled end of data", () => {
  it("SendMessage keeps commands inside body", async () => {
    const run = await sendBody(SMUGGLING_BODY);
    const wire = afterData(run.connection);

    expect(wire).toBe(`${SMUGGLING_WIRE}QUIT\r\n`);
    expect(countOf(`\r\n${wire}`, "\r\n.\r\n")).toBe(1);
    expect(run.connection?.commands).toEqual([
      "HELO client.example.org",
      "MAIL FROM:<a@x.test>",
      "RCPT TO:<b@y.test>",
      "DATA",
      "QUIT",
    ]);
    expect(run.connection?.transcript.filter((line) => line.startsWith("S: 250 2.0.0"))).toEqual([
      "S: 250 2.0.0 Ok: queued as 4F1C2",
    ]);
  });

  it("SendDataStream keeps commands inside body", async () => {
    const connection = await sendThroughDataStream(new BufferStream(SMUGGLING_BODY));

    expect(afterData(connection)).toBe(`${SMUGGLING_WIRE}QUIT\r\n`);
    expect(connection.bodies).toHaveLength(1);
    expect(connection.commands.filter((command) => command.startsWith("MAIL"))).toEqual([
      "MAIL FROM:<a@x.test>",
    ]);
  });

  it("LF dot CRLF is stuffed", async () => {
    const run = await sendBody("x\n.\r\ny");

    expect(afterData(run.connection)).toBe("x\r\n..\r\ny\r\n.\r\nQUIT\r\n");
  });

  const variants = ["\r.\r", "\r\n.\r", "\r.\r\n", "\r\n.\n", "\n.\r", "\r.\n"];
  for (const variant of variants) {
    it(`${JSON.stringify(variant)} becomes CRLF dot dot CRLF`, async () => {
      const run = await sendBody(`a${variant}b`);
      const received = run.connection?.received.toString("latin1") ?? "";

      expect(afterData(run.connection)).toBe("a\r\n..\r\nb\r\n.\r\nQUIT\r\n");
      expect(received).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    });
  }
});

describe("NUL bytes in the body", () => {
  it("NUL before dot line stops before DATA", async () => {
    const run = await runScenario({
      message: smtpMessage("a@x.test", ["b@y.test"], Buffer.from("a\r\n\0.\r\nb\r\n", "latin1")),
    });
    const result = run.recorder.responses.find((r) => r.command === SMTP_SEND_MESSAGE);

    expect(run.connection?.commands).toEqual([
      "HELO client.example.org",
      "MAIL FROM:<a@x.test>",
      "RCPT TO:<b@y.test>",
      "RSET",
      "QUIT",
    ]);
    expect(run.connection?.received.includes(0)).toBe(false);
    expect(nameOf(result?.rIxpResult.hrResult ?? 0)).toBe(nameOf(E_INVALIDARG));
    expect(result?.rIxpResult.pszProblem).toBe("NUL byte in message at offset 3");
    expectDisconnectedLast(run.recorder);
  });

  it("late NUL never reaches the wire", async () => {
    const lines = `${"y".repeat(98)}\r\n`.repeat(700);
    const body = Buffer.concat([Buffer.from(lines), Buffer.from("\r\n\0.\r\n", "latin1")]);
    const run = await runScenario({ message: smtpMessage("a@x.test", ["b@y.test"], body) });

    expect(run.connection?.received.includes(0)).toBe(false);
    expect(afterData(run.connection)).not.toContain("\r\n.\r\n");
    expect(run.recorder.errors[0]?.pszProblem).toBe(`NUL byte in message at offset ${70_002}`);
    expectFailedWith(run.recorder, E_INVALIDARG);
    expectNoMessageResult(run.recorder);
  });
});

describe("line starts and line ends", () => {
  const cases: Array<[name: string, body: string, wire: string]> = [
    ["first line a lone dot", ".\r\nnext\r\n", "..\r\nnext\r\n"],
    ["first line dot hidden", ".hidden\r\n", "..hidden\r\n"],
    ["CRLF dot CRLF mid-body", "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n"],
    ["no trailing line end", "no trailing newline", "no trailing newline\r\n"],
    ["trailing lone CR", "ends in CR\r", "ends in CR\r\n"],
  ];

  for (const [name, body, wire] of cases) {
    it(`${name} is sent as RFC 5321 text`, async () => {
      const run = await sendBody(body);

      expect(afterData(run.connection)).toBe(`${wire}.\r\nQUIT\r\n`);
      expect(run.connection?.bodies.map((sent) => sent.toString("latin1"))).toEqual([wire]);
    });
  }

  // NOTE: RFC 5321 §4.5.3.1.6 limits a text line to 1000 octets with its CRLF. The transport
  // sends longer lines as they are and leaves their encoding to the message composer.
  it("5000-byte line passes unchanged", async () => {
    const line = "A".repeat(5000);
    const run = await sendBody(`${line}\r\n`);

    expect(afterData(run.connection)).toBe(`${line}\r\n.\r\nQUIT\r\n`);
  });

  // NOTE: no 8BITMIME negotiation exists yet, so 8-bit bytes are sent as given, without BODY=.
  it("8-bit body bytes pass unchanged", async () => {
    const body = Buffer.from("Caf\xe9\r\n", "latin1");
    const run = await sendBody(body);

    expect(afterData(run.connection)).toBe("Caf\xe9\r\n.\r\nQUIT\r\n");
    expect(run.connection?.commands).toContain("MAIL FROM:<a@x.test>");
  });
});

/** An IStream whose first Read returns `good` and whose later Reads fail with E_FAIL. */
class FailsAfterStream implements IStream {
  #reads = 0;

  constructor(private readonly good: Buffer) {}

  Read(pv: Uint8Array, cb: number, pcbRead: { value: number } | null): number {
    this.#reads += 1;
    if (this.#reads > 1) {
      return E_FAIL;
    }

    const count = Math.min(cb, this.good.length);
    pv.set(this.good.subarray(0, count));
    if (pcbRead !== null) {
      pcbRead.value = count;
    }
    return S_OK;
  }

  Seek(): number {
    return S_OK;
  }

  Stat(pstatstg: STATSTG): number {
    pstatstg.cbSize = this.good.length * 2;
    return S_OK;
  }
}

/** Nine lines of 74 bytes: 666 bytes that the DATA encoding leaves unchanged. */
const FIRST_666 = Buffer.from(`${"p".repeat(72)}\r\n`.repeat(9));

describe("message stream fails after 666 bytes", () => {
  it("SendMessage stops without the dot", async () => {
    const run = await runScenario({
      message: smtpMessage("a@x.test", ["b@y.test"], new FailsAfterStream(FIRST_666)),
    });

    expect(afterData(run.connection)).toBe(FIRST_666.toString("latin1"));
    expect(run.connection?.bodies).toEqual([]);
    expect(run.connection?.commands).not.toContain("QUIT");
    expectFailedWith(run.recorder, IXP_E_SOCKET_READ_ERROR);
    expect(run.recorder.errors[0]?.pszProblem).toBe("IStream::Read failed with 0x80004005");
    expect(run.recorder.errors[0]?.uiServerError).toBe(0);
    expectNoMessageResult(run.recorder);
  });

  it("SendDataStream stops without the dot", async () => {
    const { transport, recorder, connection, server } = await openSession();
    transport.CommandMAIL("a@x.test");
    await recorder.waitFor(/^R\{SMTP_MAIL, TRUE/);
    transport.CommandRCPT("b@y.test");
    await recorder.waitFor(/^R\{SMTP_RCPT, TRUE/);
    transport.CommandDATA();
    await recorder.waitFor(/^R\{SMTP_DATA, TRUE/);

    expect(transport.SendDataStream(new FailsAfterStream(FIRST_666), 0)).toBe(S_OK);
    await recorder.disconnected();
    await server.waitForClose();

    expect(afterData(connection)).toBe(FIRST_666.toString("latin1"));
    expect(connection.bodies).toEqual([]);
    expectFailedWith(recorder, IXP_E_SOCKET_READ_ERROR);
    expect(recorder.responses.some((response) => response.command === SMTP_SEND_MESSAGE)).toBe(
      false,
    );
  });
});
