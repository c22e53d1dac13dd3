import { mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RealServer, startRealServer } from "./real-server.js";
import {
  type ReplyAction,
  refusedPort,
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
} from "./scripted-server.js";

/** A bare TCP client that reads whole SMTP replies, so the servers are tested without our client. */
interface RawClient {
  socket: net.Socket;
  /** Number of 'data' events so far. */
  readonly dataEvents: number;
  /** Every byte received so far. */
  readonly received: Buffer;
  /** The socket error, if one occurred. */
  readonly error: NodeJS.ErrnoException | null;
  readonly closed: Promise<void>;
  send(text: string | Buffer): void;
  /** Resolves with the next complete reply, multi-line replies included, with their CRLFs. */
  readReply(): Promise<string>;
}

const REPLY_LAST_LINE = /^\d{3}(?: |$)/;

/** Returns the length of the first complete reply in `text`, or -1 when none is complete. */
function completeReplyLength(text: string): number {
  let start = 0;
  for (;;) {
    const end = text.indexOf("\r\n", start);
    if (end === -1) {
      return -1;
    }
    const line = text.slice(start, end);
    start = end + 2;
    if (REPLY_LAST_LINE.test(line)) {
      return start;
    }
  }
}

async function connectRaw(port: number): Promise<RawClient> {
  const socket = net.connect({ host: "127.0.0.1", port });
  const chunks: Buffer[] = [];
  let pending = "";
  let dataEvents = 0;
  let ended = false;
  let error: NodeJS.ErrnoException | null = null;
  let wake: (() => void) | null = null;

  const notify = () => {
    wake?.();
    wake = null;
  };

  socket.on("data", (chunk: Buffer) => {
    dataEvents += 1;
    chunks.push(chunk);
    pending += chunk.toString("latin1");
    notify();
  });
  socket.on("error", (err: NodeJS.ErrnoException) => {
    error = err;
    notify();
  });
  socket.on("end", () => {
    ended = true;
    notify();
  });
  const closed = new Promise<void>((resolve) => {
    socket.on("close", () => {
      ended = true;
      notify();
      resolve();
    });
  });

  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });

  return {
    socket,
    closed,
    get dataEvents() {
      return dataEvents;
    },
    get received() {
      return Buffer.concat(chunks);
    },
    get error() {
      return error;
    },
    send(text) {
      socket.write(text);
    },
    async readReply() {
      for (;;) {
        const length = completeReplyLength(pending);
        if (length !== -1) {
          const reply = pending.slice(0, length);
          pending = pending.slice(length);
          return reply;
        }
        if (ended || error !== null) {
          throw new Error(
            `Connection ended before a complete reply. Buffered: ${JSON.stringify(pending)}`,
          );
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}

/** Resolves with "timeout" unless `promise` settles within `ms`. */
function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waits two event-loop turns, so handles closed by earlier code have run their close callbacks. */
async function settleClosedHandles(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}

function countResources(kind: string): number {
  return process.getActiveResourcesInfo().filter((name) => name === kind).length;
}

const servers: Array<ScriptedServer | RealServer> = [];
const clients: RawClient[] = [];

async function scripted(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const server = await startScriptedServer(options);
  servers.push(server);
  return server;
}

async function client(port: number): Promise<RawClient> {
  const raw = await connectRaw(port);
  clients.push(raw);
  return raw;
}

afterEach(async () => {
  for (const raw of clients.splice(0)) {
    raw.socket.destroy();
  }
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const BODY = "Subject: hi\r\n\r\n..leading dot\r\nbye\r\n";

/** Runs greeting, EHLO, one message and QUIT, and returns the replies in order. */
async function runSession(raw: RawClient): Promise<string[]> {
  const replies = [await raw.readReply()];
  for (const command of ["EHLO client.test", "MAIL FROM:<a@x>", "RCPT TO:<b@y>", "DATA"]) {
    raw.send(`${command}\r\n`);
    replies.push(await raw.readReply());
  }
  raw.send(`${BODY}.\r\n`);
  replies.push(await raw.readReply());
  raw.send("QUIT\r\n");
  replies.push(await raw.readReply());
  await raw.closed;
  return replies;
}

describe("scripted server", () => {
  it("records a default session", async () => {
    const server = await scripted();
    const raw = await client(server.port);

    const replies = await runSession(raw);
    const record = await server.waitForClose();

    expect(replies).toEqual([
      "220 mail.test ESMTP ready\r\n",
      "250-mail.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 10240000\r\n",
      "250 2.1.0 Ok\r\n",
      "250 2.1.5 Ok\r\n",
      "354 End data with <CR><LF>.<CR><LF>\r\n",
      "250 2.0.0 Ok: queued as 4F1C2\r\n",
      "221 2.0.0 Bye\r\n",
    ]);
    expect(record.commands).toEqual([
      "EHLO client.test",
      "MAIL FROM:<a@x>",
      "RCPT TO:<b@y>",
      "DATA",
      "QUIT",
    ]);
    expect(record.bodies.map((body) => body.toString())).toEqual([BODY]);
    expect(record.received.toString()).toBe(
      `EHLO client.test\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n${BODY}.\r\nQUIT\r\n`,
    );
    expect(record.transcript).toEqual([
      "S: 220 mail.test ESMTP ready",
      "C: EHLO client.test",
      "S: 250-mail.test",
      "S: 250-PIPELINING",
      "S: 250-8BITMIME",
      "S: 250 SIZE 10240000",
      "C: MAIL FROM:<a@x>",
      "S: 250 2.1.0 Ok",
      "C: RCPT TO:<b@y>",
      "S: 250 2.1.5 Ok",
      "C: DATA",
      "S: 354 End data with <CR><LF>.<CR><LF>",
      `C: <body ${BODY.length} bytes>`,
      "C: .",
      "S: 250 2.0.0 Ok: queued as 4F1C2",
      "C: QUIT",
      "S: 221 2.0.0 Bye",
      "S: <close>",
      "C: <close>",
    ]);
    expect(record.clientClosed).toBe(true);
    expect(record.clientReset).toBe(false);
    expect(record.closed).toBe(true);
  });

  it("reply array consumed in order", async () => {
    const server = await scripted({
      replies: { RCPT: ["250 first\r\n", "550 second\r\n", "451 third\r\n"] },
    });

    for (let round = 0; round < 2; round++) {
      const raw = await client(server.port);
      await raw.readReply();

      const replies: string[] = [];
      for (let i = 0; i < 4; i++) {
        raw.send(`RCPT TO:<r${i}@y>\r\n`);
        replies.push(await raw.readReply());
      }

      expect(replies).toEqual([
        "250 first\r\n",
        "550 second\r\n",
        "451 third\r\n",
        "451 third\r\n",
      ]);
    }
  });

  it("byte split delivers same bytes", async () => {
    const whole = await scripted();
    const wholeClient = await client(whole.port);
    await runSession(wholeClient);

    const split = await scripted({ split: "bytes" });
    const splitClient = await client(split.port);
    await runSession(splitClient);

    expect(splitClient.received.equals(wholeClient.received)).toBe(true);
    expect(splitClient.dataEvents).toBeGreaterThan(wholeClient.dataEvents);
  });

  it("cuts replies at given offsets with a delay", async () => {
    const server = await scripted({ split: [1, 3], chunkDelayMs: 20 });
    const raw = await client(server.port);

    expect(await raw.readReply()).toBe("220 mail.test ESMTP ready\r\n");
    expect(raw.dataEvents).toBe(3);
  });

  it("reads a body that arrives across writes", async () => {
    const server = await scripted();
    const raw = await client(server.port);
    await raw.readReply();
    raw.send("DATA\r\n");
    await raw.readReply();

    for (const byte of Buffer.from("a\r\n.\r")) {
      raw.send(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    raw.send("\nNOOP\r\n");

    expect(await raw.readReply()).toBe("250 2.0.0 Ok: queued as 4F1C2\r\n");
    expect(await raw.readReply()).toBe("250 2.0.0 Ok\r\n");
    const record = server.connections[0];
    expect(record?.bodies.map((body) => body.toString())).toEqual(["a\r\n"]);
    expect(record?.commands).toEqual(["DATA", "NOOP"]);
  });

  it("accepts an empty body", async () => {
    const server = await scripted();
    const raw = await client(server.port);
    await raw.readReply();

    raw.send("DATA\r\n");
    await raw.readReply();
    raw.send(".\r\n");

    expect(await raw.readReply()).toBe("250 2.0.0 Ok: queued as 4F1C2\r\n");
    expect(server.connections[0]?.bodies).toEqual([Buffer.alloc(0)]);
  });

  it("non-354 DATA reply keeps command mode", async () => {
    const server = await scripted({ replies: { DATA: "554 5.5.1 No valid recipients\r\n" } });
    const raw = await client(server.port);
    await raw.readReply();

    raw.send("DATA\r\n");
    expect(await raw.readReply()).toBe("554 5.5.1 No valid recipients\r\n");
    raw.send("RSET\r\n");

    expect(await raw.readReply()).toBe("250 2.0.0 Ok\r\n");
    expect(server.connections[0]?.commands).toEqual(["DATA", "RSET"]);
  });

  it("sends the duringBody reply mid-body", async () => {
    const server = await scripted({
      duringBody: { afterBytes: 10, reply: "452 4.3.1 Mail system full\r\n" },
    });
    const raw = await client(server.port);
    await raw.readReply();
    raw.send("DATA\r\n");
    await raw.readReply();

    raw.send("12345");
    expect(await raceTimeout(raw.readReply(), 50)).toBe("timeout");
    raw.send("67890");

    expect(await raw.readReply()).toBe("452 4.3.1 Mail system full\r\n");
    expect(server.connections[0]?.bodies).toEqual([]);
  });

  it("closes after a duringBody 421", async () => {
    const shutdown: ReplyAction = { write: "421 4.3.2 Shutting down\r\n", after: "close" };
    const server = await scripted({ duringBody: { afterBytes: 1, reply: shutdown } });
    const raw = await client(server.port);
    await raw.readReply();
    raw.send("DATA\r\n");
    await raw.readReply();

    raw.send("x");

    expect(await raw.readReply()).toBe("421 4.3.2 Shutting down\r\n");
    await raw.closed;
    expect(raw.error).toBeNull();
  });

  it("then reset sends RST", async () => {
    const goingAway: ReplyAction = { write: "421 4.7.0 Going away\r\n", after: "reset" };
    const server = await scripted({ replies: { MAIL: goingAway } });
    const raw = await client(server.port);
    await raw.readReply();

    raw.send("MAIL FROM:<a@x>\r\n");

    expect(await raw.readReply()).toBe("421 4.7.0 Going away\r\n");
    await raw.closed;
    expect(raw.error?.code).toBe("ECONNRESET");
    const record = await server.waitForClose();
    expect(record.transcript.at(-1)).toBe("S: <reset>");
  });

  it("resets at once on connect", async () => {
    const resetAtOnce: ReplyAction = { after: "reset" };
    const server = await scripted({ onConnect: resetAtOnce });
    const socket = net.connect({ host: "127.0.0.1", port: server.port });
    let receivedBytes = 0;
    socket.on("data", (chunk: Buffer) => {
      receivedBytes += chunk.length;
    });

    const error = await new Promise<NodeJS.ErrnoException>((resolve) =>
      socket.on("error", resolve),
    );

    expect(error.code).toBe("ECONNRESET");
    expect(receivedBytes).toBe(0);
    expect((await server.waitForClose()).transcript).toEqual(["S: <reset>"]);
  });

  it("writes onConnect bytes before the greeting", async () => {
    const server = await scripted({ onConnect: { write: "250 early\r\n" } });
    const raw = await client(server.port);

    expect(await raw.readReply()).toBe("250 early\r\n");
    expect(await raw.readReply()).toBe("220 mail.test ESMTP ready\r\n");
  });

  it("client reset recorded without crash", async () => {
    const server = await scripted();
    const raw = await client(server.port);
    await raw.readReply();

    raw.socket.resetAndDestroy();
    const record = await server.waitForClose();

    expect(record.clientReset).toBe(true);
    expect(record.transcript.at(-1)).toBe("C: <reset>");
  });

  it("null reply leaves client waiting", async () => {
    const server = await scripted({ replies: { NOOP: null } });
    const raw = await client(server.port);
    await raw.readReply();

    raw.send("NOOP\r\n");
    expect(await raceTimeout(raw.readReply(), 50)).toBe("timeout");
    raw.send("RSET\r\n");

    expect(await raw.readReply()).toBe("250 2.0.0 Ok\r\n");
    expect(server.connections[0]?.commands).toEqual(["NOOP", "RSET"]);
  });

  it("keeps delayed replies in order", async () => {
    const server = await scripted({
      replies: { MAIL: { write: "250 slow\r\n", delayMs: 30 }, RCPT: "250 fast\r\n" },
    });
    const raw = await client(server.port);
    await raw.readReply();

    raw.send("MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\n");

    expect(await raw.readReply()).toBe("250 slow\r\n");
    expect(await raw.readReply()).toBe("250 fast\r\n");
  });

  it("sends a pushed reply", async () => {
    const server = await scripted();
    const raw = await client(server.port);
    await raw.readReply();
    const record = await server.waitForConnection();

    await record.push("421 4.3.2 Shutting down\r\n");

    expect(await raw.readReply()).toBe("421 4.3.2 Shutting down\r\n");
  });

  it("waitForConnection returns connections in order", async () => {
    const server = await scripted();
    await client(server.port);
    await client(server.port);

    const first = await server.waitForConnection();
    const second = await server.waitForConnection();

    expect(first.id).toBe(1);
    expect(second.id).toBe(2);
  });

  it("rejects an invalid split offset", async () => {
    await expect(startScriptedServer({ split: [0] })).rejects.toThrow(RangeError);
  });

  it("close leaves no handles or timers", async () => {
    await settleClosedHandles();
    const timersBefore = countResources("Timeout");
    const listenersBefore = countResources("TCPServerWrap");
    const socketsBefore = countResources("TCPSocketWrap");
    const server = await startScriptedServer({
      greeting: { write: "220 late\r\n", delayMs: 10_000 },
    });
    const raw = await connectRaw(server.port);
    await server.waitForConnection();
    await new Promise((resolve) => setImmediate(resolve));
    expect(countResources("Timeout")).toBeGreaterThan(timersBefore);

    await server.close();
    await raw.closed;
    await server.waitForClose();
    await settleClosedHandles();

    expect(server.listening).toBe(false);
    // Other code in the worker may have finished a timer meanwhile, but ours must be gone.
    expect(countResources("Timeout")).toBeLessThanOrEqual(timersBefore);
    expect(countResources("TCPServerWrap")).toBe(listenersBefore);
    expect(countResources("TCPSocketWrap")).toBe(socketsBefore);
  });

  it("refusedPort has nothing listening", async () => {
    const port = await refusedPort();

    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.on("error", resolve);
    });

    expect(error.code).toBe("ECONNREFUSED");
  });
});

describe("real server", () => {
  async function real(options: Parameters<typeof startRealServer>[0] = {}): Promise<RealServer> {
    const server = await startRealServer(options);
    servers.push(server);
    return server;
  }

  async function sendMessage(raw: RawClient, recipient: string): Promise<string[]> {
    const replies = [await raw.readReply()];
    for (const command of [
      "EHLO client.test",
      "MAIL FROM:<a@example.com>",
      `RCPT TO:<${recipient}>`,
    ]) {
      raw.send(`${command}\r\n`);
      replies.push(await raw.readReply());
    }
    if (!replies.at(-1)?.startsWith("250")) {
      return replies;
    }
    raw.send("DATA\r\n");
    replies.push(await raw.readReply());
    raw.send(`${BODY}.\r\n`);
    replies.push(await raw.readReply());
    return replies;
  }

  it("stores the unstuffed message", async () => {
    const server = await real();
    const raw = await client(server.port);

    const replies = await sendMessage(raw, "b@example.net");
    const messages = await server.waitForMessages(1, 2_000);

    expect(replies.map((reply) => reply.slice(0, 3))).toEqual([
      "220",
      "250",
      "250",
      "250",
      "354",
      "250",
    ]);
    expect(messages[0]?.envelope).toEqual({ mailFrom: "a@example.com", rcptTo: ["b@example.net"] });
    expect(messages[0]?.raw.toString()).toBe("Subject: hi\r\n\r\n.leading dot\r\nbye\r\n");
    expect(server.dir).toBeNull();
  });

  it("rejects a recipient with the given reply", async () => {
    const server = await real({
      rejectRecipient: (address) =>
        address === "blocked@example.net" ? { code: 550, message: "No such user" } : null,
    });
    const raw = await client(server.port);

    const replies = await sendMessage(raw, "blocked@example.net");

    expect(replies.at(-1)).toBe("550 No such user\r\n");
    expect(server.messages).toEqual([]);
  });

  it("saves each message to saveDir", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "imnxport-test-"));
    try {
      const server = await real({ saveDir: dir });
      const raw = await client(server.port);

      await sendMessage(raw, "b@example.net");
      await server.waitForMessages(1, 2_000);

      expect(server.dir).toBe(dir);
      expect((await readFile(path.join(dir, "1.eml"))).toString()).toBe(
        "Subject: hi\r\n\r\n.leading dot\r\nbye\r\n",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("times out waiting for messages", async () => {
    const server = await real();

    await expect(server.waitForMessages(1, 20)).rejects.toThrow(/Timed out after 20 ms/);
  });
});
