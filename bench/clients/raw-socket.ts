import { once } from "node:events";
import { connect, type Socket } from "node:net";
import type { Readable } from "node:stream";
import { generatedReadable } from "../content.js";
import { type BenchClient, CLIENT_NAME, recipientsOf, SENDER, type SendPlan } from "./types.js";

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const CRLF = Buffer.from("\r\n");
const EXTRA_DOT = Buffer.from(".");

/**
 * The DATA transparency rules of RFC 5321 §4.5.2 in a short streaming form: bare CR and bare LF
 * become CRLF, a line that starts with "." gets another "." in front, and `finish` ends an
 * unterminated last line. Runs that need no change, CRLF pairs included, are passed on as
 * subarrays of the input, and a chunk that needs no change at all is returned as it is.
 */
export class DotStuffer {
  #atLineStart = true;
  #pendingCr = false;
  #sawBytes = false;

  encode(chunk: Buffer): Buffer {
    const parts: Buffer[] = [];
    let position = 0;
    if (chunk.length > 0) {
      this.#sawBytes = true;
    }

    if (this.#pendingCr && chunk.length > 0) {
      parts.push(CRLF);
      this.#pendingCr = false;
      this.#atLineStart = true;
      position = chunk[0] === LF ? 1 : 0;
    }

    let runStart = position;
    while (position < chunk.length) {
      if (this.#atLineStart && chunk[position] === DOT) {
        parts.push(chunk.subarray(runStart, position), EXTRA_DOT);
        runStart = position;
      }
      this.#atLineStart = false;

      const end = firstLineEnd(chunk, position);
      if (end === -1) {
        break;
      }

      this.#atLineStart = true;
      if (chunk[end] === CR && chunk[end + 1] === LF) {
        position = end + 2;
        continue;
      }

      parts.push(chunk.subarray(runStart, end));
      if (chunk[end] === CR && end + 1 === chunk.length) {
        this.#pendingCr = true;
      } else {
        parts.push(CRLF);
      }
      position = end + 1;
      runStart = position;
    }

    parts.push(chunk.subarray(runStart));
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  /** Returns the CRLF still owed after the last chunk, or an empty Buffer. */
  finish(): Buffer {
    const owed = this.#pendingCr || (this.#sawBytes && !this.#atLineStart);
    return owed ? CRLF : Buffer.alloc(0);
  }
}

function firstLineEnd(chunk: Buffer, start: number): number {
  const cr = chunk.indexOf(CR, start);
  const lf = chunk.indexOf(LF, start);
  if (cr === -1 || lf === -1) {
    return cr === -1 ? lf : cr;
  }
  return Math.min(cr, lf);
}

/** Collects reply lines and hands out one complete (possibly multi-line) reply at a time. */
class ReplyReader {
  #text = "";
  readonly #replies: number[] = [];
  #waiter: ((code: number) => void) | null = null;
  #failure: Error | null = null;
  #failWaiter: ((error: Error) => void) | null = null;

  constructor(socket: Socket) {
    socket.on("data", (chunk: Buffer) => this.#push(chunk.toString("latin1")));
    socket.on("error", (error) => this.#fail(error));
    socket.on("close", () => this.#fail(new Error("The server closed the connection")));
  }

  /** Wait for the next reply and check its code. */
  async expect(code: number, command: string): Promise<void> {
    const received = await this.#next();
    if (received !== code) {
      throw new Error(`${command} got reply ${received}, expected ${code}`);
    }
  }

  #next(): Promise<number> {
    const queued = this.#replies.shift();
    if (queued !== undefined) {
      return Promise.resolve(queued);
    }
    if (this.#failure !== null) {
      return Promise.reject(this.#failure);
    }
    return new Promise((resolve, reject) => {
      this.#waiter = resolve;
      this.#failWaiter = reject;
    });
  }

  #push(text: string): void {
    this.#text += text;
    for (let end = this.#text.indexOf("\n"); end !== -1; end = this.#text.indexOf("\n")) {
      const line = this.#text.slice(0, end);
      this.#text = this.#text.slice(end + 1);
      // "NNN-" continues a reply; "NNN " or a bare "NNN" line ends it (RFC 5321 §4.2.1).
      if (line[3] !== "-") {
        this.#deliver(Number.parseInt(line.slice(0, 3), 10));
      }
    }
  }

  #deliver(code: number): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    this.#failWaiter = null;
    if (waiter === null) {
      this.#replies.push(code);
      return;
    }
    waiter(code);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    const failWaiter = this.#failWaiter;
    this.#waiter = null;
    this.#failWaiter = null;
    failWaiter?.(this.#failure);
  }
}

async function write(socket: Socket, bytes: Buffer | string): Promise<void> {
  if (!socket.write(bytes)) {
    await once(socket, "drain");
  }
}

async function sendBody(socket: Socket, plan: SendPlan): Promise<void> {
  const stuffer = new DotStuffer();
  if (plan.body !== null) {
    await write(socket, stuffer.encode(plan.body));
  } else {
    const source: Readable = generatedReadable(plan.streamBytes);
    for await (const chunk of source) {
      await write(socket, stuffer.encode(chunk as Buffer));
    }
  }
  await write(socket, Buffer.concat([stuffer.finish(), Buffer.from(".\r\n")]));
}

async function sendMessage(socket: Socket, replies: ReplyReader, plan: SendPlan, index: number) {
  await write(socket, `MAIL FROM:<${SENDER}>\r\n`);
  await replies.expect(250, "MAIL");
  for (const recipient of recipientsOf(plan, index)) {
    await write(socket, `RCPT TO:<${recipient}>\r\n`);
    await replies.expect(250, "RCPT");
  }
  await write(socket, "DATA\r\n");
  await replies.expect(354, "DATA");
  await sendBody(socket, plan);
  await replies.expect(250, "end of data");
}

/**
 * The lower bound: a net.Socket client that writes each command, waits for its reply, and
 * dot-stuffs with DotStuffer. No callbacks, no logging, no state machine beyond the sequence.
 */
export const rawSocketClient: BenchClient = {
  id: "raw-socket",
  available: true,
  async send(plan) {
    const socket = connect({ host: plan.host, port: plan.port, noDelay: true });
    const replies = new ReplyReader(socket);
    const closed = new Promise((resolve) => socket.once("close", resolve));
    try {
      await replies.expect(220, "greeting");
      await write(socket, `EHLO ${CLIENT_NAME}\r\n`);
      await replies.expect(250, "EHLO");
      for (let index = 0; index < plan.count; index += 1) {
        await sendMessage(socket, replies, plan, index);
      }
      await write(socket, "QUIT\r\n");
      await replies.expect(221, "QUIT");
      socket.end();
      await closed;
    } finally {
      socket.destroy();
    }
    return plan.count;
  },
};
