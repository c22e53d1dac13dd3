import { afterEach, describe, expect, it } from "vitest";
import { SMTP_RCPT, SMTP_SEND_MESSAGE, SMTP_SEND_STREAM } from "../../src/imnxport/enums.js";
import {
  IXP_E_CONNECTION_DROPPED,
  IXP_E_NOT_CONNECTED,
  IXP_E_SMTP_421_NOT_AVAILABLE,
  S_OK,
} from "../../src/imnxport/hresults.js";
import { closeSessions, openSession, turns } from "../support/open-session.js";
import { runScenario, type ScenarioRun, smtpMessage } from "../support/scenario.js";
import type { AfterReply, Verb } from "../support/scripted-server.js";
import {
  DISCONNECTED,
  expectFailedWith,
  expectNoMessageResult,
} from "../support/session-checks.js";
import { nameOf } from "../support/trace.js";

afterEach(closeSessions);

function wire(run: ScenarioRun): string {
  return run.connection?.received.toString("latin1") ?? "";
}

const HELO = "HELO client.example.org\r\n";

/** What the client has written when the server receives each command, and the reply before it. */
const STAGES: Array<[verb: Verb, written: string, lastReply: string]> = [
  ["MAIL", `${HELO}MAIL FROM:<a@x.test>\r\n`, "250 mail.test"],
  ["RCPT", `${HELO}MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\n`, "250 2.1.0 Ok"],
  ["DATA", `${HELO}MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n`, "250 2.1.5 Ok"],
];

const ENDINGS: Array<[after: Exclude<AfterReply, "keep">, socketError: number]> = [
  ["close", 0],
  ["reset", 10054],
];

describe("connection lost before a reply", () => {
  for (const [verb, written, lastReply] of STAGES) {
    for (const [after, socketError] of ENDINGS) {
      it(`${after} after ${verb} fails the message once`, async () => {
        const run = await runScenario({ server: { replies: { [verb]: { after } } } });
        const error = run.recorder.errors[0];

        expectFailedWith(run.recorder, IXP_E_CONNECTION_DROPPED);
        expect(error?.dwSocketError).toBe(socketError);
        expect(error?.pszResponse).toBe(lastReply);
        expect(wire(run)).toBe(written);
        expectNoMessageResult(run.recorder);
      });
    }
  }

  for (const [after, socketError] of ENDINGS) {
    it(`${after} after the dot is never success`, async () => {
      const run = await runScenario({ server: { replies: { DOT: { after } } } });
      const error = run.recorder.errors[0];

      expectFailedWith(run.recorder, IXP_E_CONNECTION_DROPPED);
      expect(error?.dwSocketError).toBe(socketError);
      expect(error?.pszResponse).toBe("354 End data with <CR><LF>.<CR><LF>");
      expect(run.connection?.bodies.map((body) => body.toString())).toEqual(["Hello.\r\n"]);
      expect(run.recorder.lines).toContain('send ".\\r\\n"');
      expectNoMessageResult(run.recorder);
    });
  }
});

describe("spontaneous 421", () => {
  it("421 while idle closes from our side", async () => {
    const session = await openSession();
    await session.connection.push("421 testserver Server shutting down for maintenance\r\n");
    await session.recorder.disconnected();
    const connection = await session.server.waitForClose();
    const error = session.recorder.errors[0];

    expectFailedWith(session.recorder, IXP_E_SMTP_421_NOT_AVAILABLE);
    expect(error?.pszResponse).toBe("421 testserver Server shutting down for maintenance");
    expect(connection.transcript).not.toContain("S: <close>");
    expect(connection.clientClosed || connection.clientReset).toBe(true);
    expect(session.transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "x"))).toBe(
      IXP_E_NOT_CONNECTED,
    );
  });

  it("421 behind MAIL reply answers RCPT", async () => {
    const run = await runScenario({
      server: {
        replies: { MAIL: { write: ["250 2.1.0 Ok\r\n", "421 4.3.2 Shutting down\r\n"] } },
      },
    });
    const rcpt = run.recorder.responses.filter((response) => response.command === SMTP_RCPT);

    expect(rcpt.map((response) => [response.rIxpResult.uiServerError, response.fDone])).toEqual([
      [421, true],
    ]);
    expectFailedWith(run.recorder, IXP_E_SMTP_421_NOT_AVAILABLE);
    expect(run.connection?.commands).not.toContain("RSET");
    expect(run.connection?.commands).not.toContain("DATA");
    expectNoMessageResult(run.recorder);
  });
});

/** Builds a body of `size` bytes in 76-character lines, long enough to be mid-transfer for a while. */
function largeBody(size: number): Buffer {
  const line = `${"x".repeat(76)}\r\n`;
  return Buffer.from(line.repeat(Math.ceil(size / line.length)).slice(0, size));
}

describe("caller aborts mid-DATA", () => {
  it("DropConnection inside progress callback", async () => {
    const session = await openSession();
    const { recorder, transport, server } = session;
    recorder.onResponse = (response) => {
      if (response.command === SMTP_SEND_STREAM && !response.fDone) {
        recorder.call("DropConnection()", () => transport.DropConnection());
      }
    };

    expect(
      transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], largeBody(4 * 1024 * 1024))),
    ).toBe(S_OK);
    await recorder.disconnected();
    const connection = await server.waitForClose();
    await connection.push("250 2.0.0 Ok: queued late\r\n");
    await turns();

    expect(recorder.lines.slice(-2)).toEqual([
      "DropConnection() → S_OK",
      `  ${DISCONNECTED} (sync)`,
    ]);
    expect(recorder.errors).toEqual([]);
    expect(connection.bodies).toEqual([]);
    expect(connection.commands).not.toContain("QUIT");
    expectNoMessageResult(recorder);
  });

  it("HandsOffCallback then DropConnection is silent", async () => {
    const session = await openSession({ server: { replies: { DOT: null } } });
    const { recorder, transport, server } = session;

    expect(transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "Body\r\n"))).toBe(S_OK);
    await recorder.waitFor(/^send "\.\\r\\n"$/);
    const before = recorder.lines.length;

    expect(transport.HandsOffCallback()).toBe(S_OK);
    expect(transport.DropConnection()).toBe(S_OK);
    const connection = await server.waitForClose();
    await connection.push("200 OK\r\n");
    await turns();

    expect(recorder.lines.length).toBe(before);
    expect(connection.clientClosed || connection.clientReset).toBe(true);
    expect(recorder.responses.some((response) => response.command === SMTP_SEND_MESSAGE)).toBe(
      false,
    );
    expect(nameOf(transport.CommandRSET())).toBe(nameOf(IXP_E_NOT_CONNECTED));
  });

  it("HandsOffCallback mid-body drops without dot", async () => {
    const session = await openSession();
    const { recorder, transport, server } = session;
    recorder.onResponse = (response) => {
      if (response.command === SMTP_SEND_STREAM && !response.fDone) {
        transport.HandsOffCallback();
        transport.DropConnection();
      }
    };

    transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], largeBody(4 * 1024 * 1024)));
    const connection = await server.waitForClose();
    await turns();
    const last = recorder.lines.at(-1);

    expect(last).toMatch(/^R\{SMTP_SEND_STREAM, FALSE/);
    expect(connection.bodies).toEqual([]);
    expect(connection.transcript).not.toContain("C: .");
  });
});
