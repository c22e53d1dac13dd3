import net from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import { IXP_E_TIMEOUT, S_FALSE, S_OK } from "../../src/imnxport/hresults.js";
import {
  closeSessions,
  type OpenSessionOptions,
  openSession,
  turns,
} from "../support/open-session.js";
import { inetServer, smtpMessage } from "../support/scenario.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

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

/** A connected session whose server never answers MAIL, with MAIL already sent. */
async function mailWithoutReply(options: OpenSessionOptions = {}) {
  const session = await openSession({ ...options, server: { replies: { MAIL: null } } });
  session.transport.CommandMAIL("a@x.test");
  await turns();
  return session;
}

describe("reply deadline", () => {
  it("OnTimeout after dwTimeout seconds", async () => {
    const { recorder } = await mailWithoutReply();
    await advance(29_999);
    const early = recorder.lines.filter((line) => line.startsWith("timeout"));
    await advance(1);
    await recorder.disconnected();

    expect(early).toEqual([]);
    expect(recorder.lines.slice(-3)).toEqual([
      "timeout 30s",
      "error{IXP_CONNECTED, 0x800CCC19}",
      "status IXP_DISCONNECTED",
    ]);
    expect(nameOf(recorder.errors[0]?.hrResult ?? 0)).toBe(nameOf(IXP_E_TIMEOUT));
  });

  it("S_OK waits the changed value", async () => {
    const session = await openSession({ server: { replies: { MAIL: null } } });
    const { recorder, transport } = session;
    const answers = [S_OK, S_FALSE];
    recorder.timeoutAnswer = (box) => {
      box.value = 5;
      return answers.shift() ?? S_FALSE;
    };
    transport.CommandMAIL("a@x.test");
    await turns();
    await advance(30_000);
    await advance(4_999);
    const beforeSecond = recorder.lines.filter((line) => line.startsWith("timeout"));
    await advance(1);
    await recorder.disconnected();

    expect(beforeSecond).toEqual(["timeout 30s"]);
    expect(recorder.lines.filter((line) => line.startsWith("timeout"))).toEqual([
      "timeout 30s",
      "timeout 5s",
    ]);
    expect(recorder.errors).toHaveLength(1);
    expect(nameOf(recorder.errors[0]?.hrResult ?? 0)).toBe(nameOf(IXP_E_TIMEOUT));
  });

  it("dwTimeout 0 means 60 seconds", async () => {
    const { recorder } = await mailWithoutReply({ serverFields: { dwTimeout: 0 } });
    await advance(59_999);
    const early = recorder.lines.filter((line) => line.startsWith("timeout"));
    await advance(1);
    await recorder.disconnected();

    expect(early).toEqual([]);
    expect(recorder.lines).toContain("timeout 60s");
  });

  it("dot waits at least 600 seconds", async () => {
    const session = await openSession({ server: { replies: { DOT: null } } });
    const { recorder, transport } = session;
    transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "Body\r\n"));
    await recorder.waitFor(/^send "\.\\r\\n"$/);
    await advance(599_999);
    const early = recorder.lines.filter((line) => line.startsWith("timeout"));
    await advance(1);
    await recorder.disconnected();

    expect(early).toEqual([]);
    expect(recorder.lines).toContain("timeout 600s");
    expect(nameOf(recorder.errors[0]?.hrResult ?? 0)).toBe(nameOf(IXP_E_TIMEOUT));
    expect(recorder.responses.some((response) => response.command === SMTP_SEND_MESSAGE)).toBe(
      false,
    );
  });
});

describe("connect deadline", () => {
  it("TCP connect times out", async () => {
    const transport = createSMTPTransport({
      network: {
        resolve: async () => [{ address: "127.0.0.1", family: 4 }],
        openSocket: () => new net.Socket(),
      },
    });
    const recorder = new TraceRecorder(transport);
    transport.InitNew(null, recorder);
    transport.Connect(inetServer(25, { szServerName: "mail.example.net" }), false, false);
    await turns();
    await advance(30_000);
    await recorder.disconnected();

    expect(recorder.lines).toEqual([
      "status IXP_FINDINGHOST",
      "status IXP_CONNECTING",
      "timeout 30s",
      "error{IXP_CONNECTING, 0x800CCC0E, socket 10060}",
      "status IXP_DISCONNECTED",
    ]);
  });
});

describe("OnTimeout answers", () => {
  it("Promise answer S_FALSE fails", async () => {
    const session = await openSession({ server: { replies: { MAIL: null } } });
    session.recorder.timeoutAnswer = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return S_FALSE;
    };
    session.transport.CommandMAIL("a@x.test");
    await turns();
    await advance(30_000);
    await session.recorder.disconnected();

    expect(session.recorder.lines.slice(-3)).toEqual([
      "timeout 30s",
      "error{IXP_CONNECTED, 0x800CCC19}",
      "status IXP_DISCONNECTED",
    ]);
  });

  it("Promise answer S_OK keeps waiting", async () => {
    const session = await openSession({ server: { replies: { MAIL: null } } });
    const { recorder, transport, connection } = session;
    recorder.timeoutAnswer = () => Promise.resolve(S_OK);
    transport.CommandMAIL("a@x.test");
    await turns();
    await advance(30_000);
    await connection.push("250 2.1.0 Ok\r\n");
    await recorder.waitFor(/^R\{SMTP_MAIL, TRUE/);
    await advance(60_000);

    expect(recorder.lines.filter((line) => line.startsWith("timeout"))).toEqual(["timeout 30s"]);
    expect(recorder.errors).toHaveLength(0);
    expect(transport.CommandRSET()).toBe(S_OK);
  });

  it("late answer after reply ignored", async () => {
    const session = await openSession({ server: { replies: { MAIL: null } } });
    const { recorder, transport, connection } = session;
    let answer: (hr: number) => void = () => {};
    recorder.timeoutAnswer = () =>
      new Promise<number>((resolve) => {
        answer = resolve;
      });
    transport.CommandMAIL("a@x.test");
    await turns();
    await advance(30_000);
    await connection.push("250 2.1.0 Ok\r\n");
    await recorder.waitFor(/^R\{SMTP_MAIL, TRUE/);
    answer(S_FALSE);
    await turns();

    expect(recorder.errors).toHaveLength(0);
    expect(transport.CommandRSET()).toBe(S_OK);
  });

  it("throwing OnTimeout counts as S_FALSE", async () => {
    const warning = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const session = await openSession({ server: { replies: { MAIL: null } } });
    session.recorder.timeoutAnswer = () => {
      throw new Error("no dialog");
    };
    session.transport.CommandMAIL("a@x.test");
    await turns();
    await advance(30_000);
    await session.recorder.disconnected();
    const warnings = warning.mock.calls.map((call) => String(call[0]));
    warning.mockRestore();

    expect(nameOf(session.recorder.errors[0]?.hrResult ?? 0)).toBe(nameOf(IXP_E_TIMEOUT));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("OnTimeout");
  });
});
