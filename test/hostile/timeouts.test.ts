import type { Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { SMTP_MAIL, SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import { IXP_E_TIMEOUT, S_FALSE, S_OK } from "../../src/imnxport/hresults.js";
import { closeSessions, type OpenSession, openSession, turns } from "../support/open-session.js";
import { CLIENT_NAME, inetServer, smtpMessage } from "../support/scenario.js";
import {
  type ConnectionRecord,
  type ScriptedServerOptions,
  startScriptedServer,
} from "../support/scripted-server.js";
import {
  expectFailedWith,
  expectNoMessageResult,
  recordingNetwork,
} from "../support/session-checks.js";
import { TraceRecorder } from "../support/trace.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});

afterEach(async () => {
  vi.useRealTimers();
  await closeSessions();
});

/** Advance the fake clock by `ms`, then let socket events and awaited callbacks run. */
async function advance(ms: number): Promise<void> {
  vi.advanceTimersByTime(ms);
  await turns(10);
}

/** Run event-loop turns (setImmediate is not faked) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; !condition(); turn += 1) {
    if (turn > 100_000) {
      throw new Error("The condition did not become true within 100000 event-loop turns.");
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function timeoutLines(recorder: TraceRecorder): string[] {
  return recorder.lines.filter((line) => line.startsWith("timeout"));
}

/** Opens a session like openSession does and also returns the client socket, to watch its reads. */
async function openWatchedSession(
  server: ScriptedServerOptions,
  dwTimeout = 30,
): Promise<OpenSession & { socket: Socket }> {
  const { network, sockets } = recordingNetwork();
  const session = await openSession({
    server,
    serverFields: { dwTimeout },
    transportOptions: { network },
  });
  const socket = sockets[0];
  if (socket === undefined) {
    throw new Error("The transport opened no socket.");
  }
  return { ...session, socket };
}

/** Send one byte of `reply` per fake second from the server, each read before the next. */
async function drip(
  connection: ConnectionRecord,
  socket: Socket,
  reply: Buffer,
  from: number,
  seconds: number,
): Promise<void> {
  for (let index = from; index < from + seconds; index += 1) {
    await advance(1000);
    const readBefore = socket.bytesRead;
    await connection.push(reply.subarray(index, index + 1));
    await until(() => socket.bytesRead > readBefore);
  }
}

/** Asserts the timeout ended the session by closing the socket on both ends, without QUIT. */
async function expectDroppedWithoutQuit(session: OpenSession & { socket: Socket }) {
  const connection = await session.server.waitForClose();

  expect(session.socket.destroyed).toBe(true);
  expect(connection.closed).toBe(true);
  expect(connection.commands).not.toContain("QUIT");
  expect(connection.commands).not.toContain("RSET");
  expect(vi.getTimerCount()).toBe(0);
}

describe("greeting never comes", () => {
  it("times out and closes both ends", async () => {
    const server = await startScriptedServer({ greeting: null });
    const { network, sockets } = recordingNetwork();
    try {
      const transport = createSMTPTransport({ clientName: CLIENT_NAME, network });
      const recorder = new TraceRecorder(transport);
      transport.InitNew(null, recorder);
      transport.Connect(inetServer(server.port, { dwTimeout: 45 }), false, true);
      await recorder.waitFor(/^status IXP_CONNECTED$/);
      await server.waitForConnection();
      await advance(44_999);
      const early = timeoutLines(recorder);
      await advance(1);
      await recorder.disconnected();
      const connection = await server.waitForClose();

      expect(early).toEqual([]);
      expect(recorder.lines.slice(-3)).toEqual([
        "timeout 45s",
        "error{IXP_CONNECTED, 0x800CCC19}",
        "status IXP_DISCONNECTED",
      ]);
      expectFailedWith(recorder, IXP_E_TIMEOUT);
      expect(connection.received.length).toBe(0);
      expect(sockets[0]?.destroyed).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      await server.close();
    }
  });
});

const MAIL_REPLY = Buffer.from("250 2.1.0 Ok\r\n");

describe("reply dripping one byte per second", () => {
  it("deadline counts from the command", async () => {
    const session = await openWatchedSession({ replies: { MAIL: null } }, 5);
    const { recorder, transport, connection, socket } = session;
    transport.CommandMAIL("a@x.test");
    await turns();
    const readBefore = socket.bytesRead;
    await drip(connection, socket, MAIL_REPLY, 0, 4);
    await advance(999);
    const early = timeoutLines(recorder);
    await advance(1);
    await recorder.disconnected();

    expect(socket.bytesRead - readBefore).toBe(4);
    expect(early).toEqual([]);
    expect(timeoutLines(recorder)).toEqual(["timeout 5s"]);
    expect(recorder.responses.some((response) => response.command === SMTP_MAIL)).toBe(false);
    expectFailedWith(recorder, IXP_E_TIMEOUT);
    await expectDroppedWithoutQuit(session);
  });

  it("S_OK waits the changed value", async () => {
    const session = await openWatchedSession({ replies: { MAIL: null } }, 5);
    const { recorder, transport, connection, socket } = session;
    const answers = [S_OK, S_FALSE];
    recorder.timeoutAnswer = (box) => {
      box.value = 3;
      return answers.shift() ?? S_FALSE;
    };
    transport.CommandMAIL("a@x.test");
    await turns();
    await drip(connection, socket, MAIL_REPLY, 0, 5);
    const first = timeoutLines(recorder);
    await drip(connection, socket, MAIL_REPLY, 5, 2);
    await advance(999);
    const beforeSecond = timeoutLines(recorder);
    await advance(1);
    await recorder.disconnected();

    expect(first).toEqual(["timeout 5s"]);
    expect(beforeSecond).toEqual(["timeout 5s"]);
    expect(timeoutLines(recorder)).toEqual(["timeout 5s", "timeout 3s"]);
    expectFailedWith(recorder, IXP_E_TIMEOUT);
    await expectDroppedWithoutQuit(session);
  });
});

describe("S_FALSE drops the connection", () => {
  it("354 never comes", async () => {
    const session = await openWatchedSession({ replies: { DATA: null } });
    const { recorder, transport } = session;
    transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "Body\r\n"));
    await recorder.waitFor(/^send "DATA\\r\\n"$/);
    await advance(30_000);
    await recorder.disconnected();

    expect(timeoutLines(recorder)).toEqual(["timeout 30s"]);
    expectFailedWith(recorder, IXP_E_TIMEOUT);
    expectNoMessageResult(recorder);
    await expectDroppedWithoutQuit(session);
  });
});

describe("wait after the final dot", () => {
  it("dwTimeout above 600 s applies", async () => {
    const session = await openWatchedSession({ replies: { DOT: null } }, 900);
    const { recorder, transport } = session;
    transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "Body\r\n"));
    await recorder.waitFor(/^send "\.\\r\\n"$/);
    await advance(899_999);
    const early = timeoutLines(recorder);
    await advance(1);
    await recorder.disconnected();

    expect(early).toEqual([]);
    expect(timeoutLines(recorder)).toEqual(["timeout 900s"]);
    expectFailedWith(recorder, IXP_E_TIMEOUT);
    expectNoMessageResult(recorder);
    await expectDroppedWithoutQuit(session);
  });

  it("reply at 599 s is delivered", async () => {
    const session = await openWatchedSession({ replies: { DOT: null } }, 30);
    const { recorder, transport, connection } = session;
    transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "Body\r\n"));
    await recorder.waitFor(/^send "\.\\r\\n"$/);
    await advance(599_000);
    await connection.push("250 2.0.0 Ok: queued as 4F1C2\r\n");
    await recorder.waitFor(/^R\{SMTP_SEND_MESSAGE/);
    const result = recorder.responses.find((response) => response.command === SMTP_SEND_MESSAGE);

    expect(timeoutLines(recorder)).toEqual([]);
    expect(result?.rIxpResult.hrResult).toBe(S_OK);
    expect(recorder.errors).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("dripping dot reply bounded at 600 s", async () => {
    const session = await openWatchedSession({ replies: { DOT: null } }, 30);
    const { recorder, transport, connection, socket } = session;
    const reply = Buffer.from("250 2.0.0 Ok: queued as 4F1C2\r\n");
    transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "Body\r\n"));
    await recorder.waitFor(/^send "\.\\r\\n"$/);
    for (let index = 0; index < 20; index += 1) {
      await advance(29_000);
      const readBefore = socket.bytesRead;
      await connection.push(reply.subarray(index, index + 1));
      await until(() => socket.bytesRead > readBefore);
    }
    await advance(19_999);
    const early = timeoutLines(recorder);
    await advance(1);
    await recorder.disconnected();

    expect(early).toEqual([]);
    expect(timeoutLines(recorder)).toEqual(["timeout 600s"]);
    expectFailedWith(recorder, IXP_E_TIMEOUT);
    expectNoMessageResult(recorder);
  });
});

describe("server stops reading the body", () => {
  it("undrained write times out", async () => {
    const session = await openWatchedSession({ stallBodyAfterBytes: 1 }, 20);
    const { recorder, transport } = session;
    const body = Buffer.alloc(64 * 1024 * 1024, "x\r\n");
    transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], body));
    await recorder.waitFor(/^R\{SMTP_DATA, TRUE/);
    await until(() => session.socket.writableNeedDrain);
    await advance(19_999);
    const early = timeoutLines(recorder);
    await advance(1);
    await recorder.disconnected();

    expect(early).toEqual([]);
    expect(timeoutLines(recorder)).toEqual(["timeout 20s"]);
    expectFailedWith(recorder, IXP_E_TIMEOUT);
    expectNoMessageResult(recorder);
    expect(session.socket.destroyed).toBe(true);
  });
});
