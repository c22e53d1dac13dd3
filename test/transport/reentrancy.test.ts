import { Readable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { CMD_RESP, CMD_SEND, SMTP_CONNECTED, SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import { CLIENT_NAME, inetServer, settle, smtpMessage } from "../support/scenario.js";
import {
  refusedPort,
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
} from "../support/scripted-server.js";
import { TraceRecorder } from "../support/trace.js";

let server: ScriptedServer | null = null;

afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = null;
});

async function connectTo(options: ScriptedServerOptions): Promise<TraceRecorder> {
  server = await startScriptedServer(options);
  const transport = createSMTPTransport({ clientName: CLIENT_NAME });
  const recorder = new TraceRecorder(transport);
  transport.InitNew(null, recorder);
  const port = server.port;
  queueMicrotask(() => transport.Connect(inetServer(port), false, true));
  return recorder;
}

function disconnectCount(recorder: TraceRecorder): number {
  return recorder.lines.filter((line) => line.includes("status IXP_DISCONNECTED")).length;
}

function linesAfterDisconnect(recorder: TraceRecorder): string[] {
  const index = recorder.lines.findIndex((line) => line.includes("status IXP_DISCONNECTED"));
  return recorder.lines.slice(index + 1);
}

describe("DropConnection from inside a callback", () => {
  it("in OnError after a refused connect", async () => {
    const port = await refusedPort();
    const transport = createSMTPTransport();
    const recorder = new TraceRecorder(transport);
    transport.InitNew(null, recorder);
    recorder.onError = () => transport.DropConnection();

    transport.Connect(inetServer(port), false, true);
    await recorder.disconnected();
    await settle();

    expect(disconnectCount(recorder)).toBe(1);
    expect(recorder.errors).toHaveLength(1);
  });

  it("in OnError after a close mid-message", async () => {
    const recorder = await connectTo({ replies: { MAIL: { after: "close" } } });
    const transport = recorder.transport;
    recorder.onError = () => transport.DropConnection();
    recorder.onResponse = (response) => {
      if (response.command === SMTP_CONNECTED) {
        transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "hi\r\n"));
      }
    };

    await recorder.disconnected();
    await settle();

    expect(disconnectCount(recorder)).toBe(1);
    expect(linesAfterDisconnect(recorder)).toEqual([]);
  });

  it("in SMTP_SEND_MESSAGE after an early reply", async () => {
    const recorder = await connectTo({
      duringBody: { afterBytes: 1, reply: "552 5.3.4 too big\r\n" },
    });
    const transport = recorder.transport;
    recorder.onResponse = (response) => {
      if (response.command === SMTP_CONNECTED) {
        transport.SendMessage(
          smtpMessage("a@x.test", ["b@y.test"], Buffer.alloc(8 * 1024 * 1024, 0x61)),
        );
      }
      if (response.command === SMTP_SEND_MESSAGE) {
        transport.DropConnection();
      }
    };

    await recorder.disconnected();
    await settle();

    expect(disconnectCount(recorder)).toBe(1);
    expect(linesAfterDisconnect(recorder)).toEqual([]);
  });

  it("in OnCommand(CMD_SEND) leaves no deadline", async () => {
    const recorder = await connectTo({});
    const transport = recorder.transport;
    recorder.onResponse = (response) => {
      if (response.command === SMTP_CONNECTED) {
        vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
        transport.CommandRSET();
      }
    };
    recorder.onCommand = (cmdtype, line) => {
      if (cmdtype === CMD_SEND && line.startsWith("RSET")) {
        transport.DropConnection();
      }
    };

    await recorder.disconnected();
    vi.advanceTimersByTime(600_000);
    await settle();

    expect(recorder.lines.some((line) => line.startsWith("timeout"))).toBe(false);
    expect(recorder.errors).toHaveLength(0);
    expect(disconnectCount(recorder)).toBe(1);
  });

  it("in OnCommand(CMD_RESP) stops the flow", async () => {
    const recorder = await connectTo({});
    const transport = recorder.transport;
    recorder.onResponse = (response) => {
      if (response.command === SMTP_CONNECTED) {
        transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "hi\r\n"));
      }
    };
    recorder.onCommand = (cmdtype, line) => {
      if (cmdtype === CMD_RESP && line.startsWith("250 2.1.0")) {
        transport.DropConnection();
      }
    };

    await recorder.disconnected();
    await settle();

    expect(linesAfterDisconnect(recorder)).toEqual([]);
    expect(recorder.lines.some((line) => line.startsWith("R{SMTP_MAIL"))).toBe(false);
  });
});

describe("message sources", () => {
  function trackedReadable(
    chunks: number,
    size: number,
  ): { stream: Readable; destroyed: () => boolean } {
    let destroyed = false;
    let served = 0;
    const stream = new Readable({
      read() {
        served += 1;
        setImmediate(() => this.push(served > chunks ? null : Buffer.alloc(size, 0x61)));
      },
      destroy(error, callback) {
        destroyed = true;
        callback(error);
      },
    });
    return { stream, destroyed: () => destroyed };
  }

  for (const [label, options] of [
    ["a rejected MAIL", { replies: { MAIL: "550 5.7.1 no\r\n" } }],
    ["an early reply", { duringBody: { afterBytes: 1, reply: "552 5.3.4 too big\r\n" } }],
  ] as const) {
    it(`are closed after ${label}`, async () => {
      const recorder = await connectTo(options);
      const transport = recorder.transport;
      const source = trackedReadable(2000, 65536);
      recorder.onResponse = (response) => {
        if (response.command === SMTP_CONNECTED) {
          transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], source.stream));
        }
      };

      await recorder.waitFor(/^R\{SMTP_SEND_MESSAGE/);
      transport.DropConnection();
      await settle();

      expect(source.destroyed()).toBe(true);
    });
  }

  it("with a non-byte chunk fail the message", async () => {
    const recorder = await connectTo({});
    const transport = recorder.transport;
    const source = (async function* () {
      yield 42 as unknown as Uint8Array;
    })();
    recorder.onResponse = (response) => {
      if (response.command === SMTP_CONNECTED) {
        transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], source));
      }
      if (response.command === SMTP_SEND_MESSAGE) {
        transport.CommandQUIT();
      }
    };

    await recorder.disconnected();
    const result = recorder.responses.find((response) => response.command === SMTP_SEND_MESSAGE);

    expect(result?.rIxpResult.hrResult).toBe(0x800ccc12);
    expect(result?.rIxpResult.pszProblem).toContain("number chunk");
  });
});

describe("long timeouts", () => {
  it("a dwTimeout above 24 days still waits", async () => {
    server = await startScriptedServer({});
    const transport = createSMTPTransport({ clientName: CLIENT_NAME });
    const recorder = new TraceRecorder(transport);
    transport.InitNew(null, recorder);
    recorder.onResponse = (response) => {
      if (response.command === SMTP_CONNECTED) {
        transport.CommandQUIT();
      }
    };

    transport.Connect(inetServer(server.port, { dwTimeout: 0xffffffff }), false, true);
    await recorder.disconnected();

    expect(recorder.errors).toEqual([]);
    expect(recorder.lines.some((line) => line.startsWith("timeout"))).toBe(false);
  });
});
