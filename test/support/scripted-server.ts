import net from "node:net";

/**
 * Command kinds that the scripted server distinguishes. `DOT` is the end of a DATA body, and `OTHER`
 * is any line whose first word is none of the others, such as an AUTH continuation line.
 */
export type Verb =
  | "EHLO"
  | "HELO"
  | "MAIL"
  | "RCPT"
  | "DATA"
  | "DOT"
  | "RSET"
  | "QUIT"
  | "AUTH"
  | "STARTTLS"
  | "NOOP"
  | "OTHER";

/** What happens to the connection after a reply is written. */
export type AfterReply = "close" | "reset" | "keep";

/** A reply with timing and an effect on the connection. */
export interface ReplyAction {
  /** Bytes to send. The elements of an array go out as separate writes. */
  write?: string | Buffer | Array<string | Buffer>;
  /** Time in ms to wait before the first byte. */
  delayMs?: number;
  /**
   * "close" sends FIN (`socket.end()`), "reset" sends RST (`socket.resetAndDestroy()`), "keep"
   * leaves the connection open. The default is "close" for QUIT and "keep" for the rest.
   * Before an RST that follows bytes, the server waits one gap (`chunkDelayMs`, plus one
   * event-loop turn) so that the client can read the bytes first.
   */
  after?: AfterReply;
}

/** Bytes to write (strings are UTF-8), an action, or null to send no reply at all. */
export type Reply = string | Buffer | ReplyAction | null;

export interface ScriptedServerOptions {
  /** The greeting. The default is "220 mail.test ESMTP ready\r\n", and null sends nothing. */
  greeting?: Reply;
  /**
   * Replies that replace the defaults, per command. An array is consumed one element per
   * occurrence of the command on a connection, and its last element repeats. Each connection
   * starts again at the first element.
   */
  replies?: Partial<Record<Verb, Reply | Reply[]>>;
  /** Lines of the default EHLO reply, without the "250-" or "250 " prefix. */
  ehloCapabilities?: string[];
  /**
   * How each reply is cut into writes: "none" writes it whole, "bytes" one byte per write,
   * and an array cuts every reply at those byte offsets. The cuts add to those of a
   * `ReplyAction.write` array.
   */
  split?: "none" | "bytes" | number[];
  /** Gap in ms between the writes of one reply. 0, the default, waits one setImmediate turn. */
  chunkDelayMs?: number;
  /**
   * A reply sent once per message while the body is still arriving, as soon as at least
   * `afterBytes` bytes of it have been received.
   */
  duringBody?: { afterBytes: number; reply: Reply };
  /** An action run on connect, before the greeting. A "close" or "reset" suppresses the greeting. */
  onConnect?: ReplyAction;
  /**
   * Stops reading from the client once this many bytes of a message body have arrived, as a
   * server that no longer drains its socket. The connection stays open.
   */
  stallBodyAfterBytes?: number;
  /**
   * Ends each connection once the server has written `bytes` bytes in all, counted from the
   * first byte of the greeting. The write that crosses the limit is cut short, and the
   * connection is closed or reset at once, whatever the replies specify. 0 ends it before the
   * greeting.
   */
  cutAfterBytes?: { bytes: number; after: "close" | "reset" };
}

/** What one client connection sent and how it ended. */
export interface ConnectionRecord {
  /** Position of the connection on the server, starting at 1. */
  readonly id: number;
  /** Every byte the client sent, in order. */
  readonly received: Buffer;
  /** Every byte the server wrote, in order. */
  readonly sent: Buffer;
  /** Command lines without their line ending, decoded as UTF-8. Message bodies are excluded. */
  readonly commands: readonly string[];
  /**
   * Each DATA body as it arrived, still dot-stuffed. The CRLF that ends the last line stays,
   * and the `.` CRLF terminator is excluded.
   */
  readonly bodies: readonly Buffer[];
  /**
   * "C: MAIL FROM:<a@x>" and "S: 250 2.1.0 Ok" lines in the order they crossed the socket.
   * A body is one "C: <body N bytes>" line followed by "C: .". CRLF line ends are dropped,
   * and other control bytes and bytes above 0x7E appear as \r, \n, \t or \xNN. The events
   * "<close>" (FIN) and "<reset>" (RST) appear on the side that caused them.
   */
  readonly transcript: readonly string[];
  /** True once the client sent FIN. */
  readonly clientClosed: boolean;
  /** True once the client reset the connection (ECONNRESET on the server socket). */
  readonly clientReset: boolean;
  /** True once the server socket is fully closed. */
  readonly closed: boolean;
  /** A socket error other than ECONNRESET, if one occurred. */
  readonly error: Error | null;
  /** Sends an unsolicited reply after any reply still queued, and resolves once it is written. */
  push(reply: Reply): Promise<void>;
}

export interface ScriptedServer {
  readonly host: "127.0.0.1";
  readonly port: number;
  readonly connections: readonly ConnectionRecord[];
  /** True until close() has shut the listener. */
  readonly listening: boolean;
  /** Resolves with the next connection not yet returned by this method, waiting if needed. */
  waitForConnection(): Promise<ConnectionRecord>;
  /** Resolves once the latest connection is closed, waiting for a first one if needed. */
  waitForClose(): Promise<ConnectionRecord>;
  /** Replaces the options for connections accepted from now on; open connections keep theirs. */
  setOptions(options: ScriptedServerOptions): void;
  /** Destroys open sockets, cancels pending replies, and resolves once the listener is closed. */
  close(): Promise<void>;
}

const LOOPBACK = "127.0.0.1";

const DEFAULT_GREETING = "220 mail.test ESMTP ready\r\n";

const DEFAULT_EHLO_CAPABILITIES = ["mail.test", "PIPELINING", "8BITMIME", "SIZE 10240000"];

const UNRECOGNIZED = "502 5.5.2 Error: command not recognized\r\n";

const DEFAULT_REPLIES: Record<Exclude<Verb, "EHLO">, string> = {
  HELO: "250 mail.test\r\n",
  MAIL: "250 2.1.0 Ok\r\n",
  RCPT: "250 2.1.5 Ok\r\n",
  DATA: "354 End data with <CR><LF>.<CR><LF>\r\n",
  DOT: "250 2.0.0 Ok: queued as 4F1C2\r\n",
  RSET: "250 2.0.0 Ok\r\n",
  NOOP: "250 2.0.0 Ok\r\n",
  QUIT: "221 2.0.0 Bye\r\n",
  AUTH: UNRECOGNIZED,
  STARTTLS: UNRECOGNIZED,
  OTHER: UNRECOGNIZED,
};

const COMMAND_VERBS: ReadonlySet<string> = new Set([
  "EHLO",
  "HELO",
  "MAIL",
  "RCPT",
  "DATA",
  "RSET",
  "QUIT",
  "AUTH",
  "STARTTLS",
  "NOOP",
]);

/** RFC 5321 §4.1.1.4: the body ends with a line holding a single dot. */
const BODY_TERMINATOR = Buffer.from("\r\n.\r\n");

/** A reply reduced to the writes it makes. */
interface PlannedReply {
  segments: Buffer[];
  delayMs: number;
  after: AfterReply;
}

function planReply(reply: Reply, defaultAfter: AfterReply): PlannedReply {
  if (reply === null) {
    return { segments: [], delayMs: 0, after: "keep" };
  }

  if (typeof reply === "string" || Buffer.isBuffer(reply)) {
    return { segments: [toBuffer(reply)], delayMs: 0, after: defaultAfter };
  }

  const writes = reply.write === undefined ? [] : [reply.write].flat();
  return {
    segments: writes.map(toBuffer),
    delayMs: reply.delayMs ?? 0,
    after: reply.after ?? defaultAfter,
  };
}

function toBuffer(data: string | Buffer): Buffer {
  return typeof data === "string" ? Buffer.from(data, "utf8") : data;
}

/** Cuts the reply at its segment boundaries and at the offsets that `split` adds. */
function cutIntoWrites(segments: Buffer[], split: ScriptedServerOptions["split"]): Buffer[] {
  const whole = Buffer.concat(segments);
  const cuts = new Set<number>();

  let offset = 0;
  for (const segment of segments) {
    offset += segment.length;
    cuts.add(offset);
  }

  if (split === "bytes") {
    for (let i = 1; i < whole.length; i++) {
      cuts.add(i);
    }
  } else if (Array.isArray(split)) {
    for (const cut of split) {
      cuts.add(cut);
    }
  }

  const ordered = [...cuts].filter((cut) => cut > 0 && cut < whole.length).sort((a, b) => a - b);
  const writes: Buffer[] = [];
  let start = 0;
  for (const cut of [...ordered, whole.length]) {
    if (cut > start) {
      writes.push(whole.subarray(start, cut));
    }
    start = cut;
  }
  return writes;
}

function verbOf(line: string): Exclude<Verb, "DOT"> {
  const word = line.split(" ", 1)[0]?.toUpperCase() ?? "";
  return COMMAND_VERBS.has(word) ? (word as Exclude<Verb, "DOT" | "OTHER">) : "OTHER";
}

function escapeForTranscript(bytes: Buffer): string {
  let text = "";
  for (const byte of bytes) {
    if (byte === 0x0d) {
      text += "\\r";
    } else if (byte === 0x0a) {
      text += "\\n";
    } else if (byte === 0x09) {
      text += "\\t";
    } else if (byte < 0x20 || byte > 0x7e) {
      text += `\\x${byte.toString(16).padStart(2, "0")}`;
    } else {
      text += String.fromCharCode(byte);
    }
  }
  return text;
}

/** Splits reply bytes at CRLF. An unterminated tail becomes a line of its own. */
function replyLines(bytes: Buffer): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const end = bytes.indexOf("\r\n", start);
    if (end === -1) {
      break;
    }
    lines.push(escapeForTranscript(bytes.subarray(start, end)));
    start = end + 2;
  }
  if (start < bytes.length) {
    lines.push(escapeForTranscript(bytes.subarray(start)));
  }
  return lines;
}

class ScriptedConnection implements ConnectionRecord {
  readonly commands: string[] = [];
  readonly bodies: Buffer[] = [];
  readonly transcript: string[] = [];
  clientClosed = false;
  clientReset = false;
  closed = false;
  error: Error | null = null;

  /** Resolves on the socket's 'close' event. */
  readonly whenClosed: Promise<void>;

  private readonly chunks: Buffer[] = [];
  private readonly sentChunks: Buffer[] = [];
  private sentBytes = 0;
  private state: "awaitingCommand" | "readingBody" = "awaitingCommand";
  /** Bytes of a command line whose LF has not arrived yet. */
  private partialLine = Buffer.alloc(0);
  private bodyChunks: Buffer[] = [];
  private bodyLength = 0;
  /**
   * The last bytes seen before the current chunk, so a terminator split across chunks is
   * found. At the start of a body it is a CRLF, because the CRLF that ended DATA lets a body
   * consist of the terminator alone.
   */
  private bodyTail = Buffer.from("\r\n");
  private earlyReplySent = false;
  private readonly replyCounts = new Map<Verb, number>();
  private outgoing: Promise<void> = Promise.resolve();
  private serverFinished = false;
  private readonly cancelTimers = new Set<() => void>();
  private markClosed: () => void = () => {};

  constructor(
    readonly id: number,
    private readonly socket: net.Socket,
    private readonly options: ScriptedServerOptions,
  ) {
    this.whenClosed = new Promise((resolve) => {
      this.markClosed = resolve;
    });

    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => this.onEnd());
    socket.on("error", (error: NodeJS.ErrnoException) => this.onError(error));
    socket.on("close", () => this.onClose());

    if (options.onConnect !== undefined) {
      this.enqueue(planReply(options.onConnect, "keep"));
    }

    const greeting = options.greeting === undefined ? DEFAULT_GREETING : options.greeting;
    this.enqueue(planReply(greeting, "keep"));
  }

  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get sent(): Buffer {
    return Buffer.concat(this.sentChunks);
  }

  push(reply: Reply): Promise<void> {
    return this.enqueue(planReply(reply, "keep"));
  }

  /** Destroys the socket and cancels every pending delay, so no timer outlives the server. */
  destroy(): void {
    this.cancelPendingTimers();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);

    let rest: Buffer | null = chunk;
    while (rest !== null && rest.length > 0) {
      rest = this.state === "awaitingCommand" ? this.takeCommandLine(rest) : this.takeBody(rest);
    }
  }

  private onEnd(): void {
    this.clientClosed = true;
    this.transcript.push("C: <close>");
  }

  private onError(error: NodeJS.ErrnoException): void {
    if (error.code === "ECONNRESET") {
      this.clientReset = true;
      this.transcript.push("C: <reset>");
      return;
    }

    this.error = error;
  }

  private onClose(): void {
    this.closed = true;
    this.cancelPendingTimers();
    this.markClosed();
  }

  /** Returns the bytes after the command line, or null when the line is still incomplete. */
  private takeCommandLine(data: Buffer): Buffer | null {
    const pending = Buffer.concat([this.partialLine, data]);
    const lf = pending.indexOf(0x0a);
    if (lf === -1) {
      this.partialLine = pending;
      return null;
    }

    const endsWithCrlf = lf > 0 && pending[lf - 1] === 0x0d;
    const line = pending.subarray(0, endsWithCrlf ? lf - 1 : lf);
    this.partialLine = Buffer.alloc(0);
    this.onCommand(line, endsWithCrlf);
    return pending.subarray(lf + 1);
  }

  private onCommand(line: Buffer, endsWithCrlf: boolean): void {
    const text = line.toString("utf8");
    this.commands.push(text);
    this.transcript.push(`C: ${escapeForTranscript(line)}${endsWithCrlf ? "" : "\\n"}`);

    const verb = verbOf(text);
    const reply = planReply(this.nextReply(verb), verb === "QUIT" ? "close" : "keep");
    this.enqueue(reply);

    if (verb === "DATA" && Buffer.concat(reply.segments).subarray(0, 3).toString() === "354") {
      this.startBody();
    }
  }

  private startBody(): void {
    this.state = "readingBody";
    this.bodyChunks = [];
    this.bodyLength = 0;
    this.bodyTail = Buffer.from("\r\n");
    this.earlyReplySent = false;
    this.sendEarlyReplyIfDue(0);
  }

  /** Returns the bytes after the body terminator, or null when the body goes on. */
  private takeBody(data: Buffer): Buffer | null {
    const window = Buffer.concat([this.bodyTail, data]);
    const found = window.indexOf(BODY_TERMINATOR);

    if (found === -1) {
      this.bodyChunks.push(data);
      this.bodyLength += data.length;
      this.bodyTail = Buffer.from(window.subarray(Math.max(0, window.length - 4)));
      this.sendEarlyReplyIfDue(this.bodyLength);
      this.stallIfDue();
      return null;
    }

    // The body keeps the CRLF that starts the terminator, and "." CRLF is dropped.
    const bodyBytesInData = found + 2 - this.bodyTail.length;
    const body = Buffer.concat([...this.bodyChunks, data]).subarray(
      0,
      this.bodyLength + bodyBytesInData,
    );
    this.sendEarlyReplyIfDue(body.length);

    this.bodies.push(body);
    this.transcript.push(`C: <body ${body.length} bytes>`, "C: .");
    this.state = "awaitingCommand";
    this.bodyChunks = [];
    this.enqueue(planReply(this.nextReply("DOT"), "keep"));
    return data.subarray(found + BODY_TERMINATOR.length - this.bodyTail.length);
  }

  private stallIfDue(): void {
    const limit = this.options.stallBodyAfterBytes;
    if (limit !== undefined && this.bodyLength >= limit) {
      this.socket.pause();
    }
  }

  private sendEarlyReplyIfDue(bodyLength: number): void {
    const duringBody = this.options.duringBody;
    if (duringBody === undefined || this.earlyReplySent || bodyLength < duringBody.afterBytes) {
      return;
    }

    this.earlyReplySent = true;
    this.enqueue(planReply(duringBody.reply, "keep"));
  }

  private nextReply(verb: Verb): Reply {
    const override = this.options.replies?.[verb];
    if (override === undefined || (Array.isArray(override) && override.length === 0)) {
      return this.defaultReply(verb);
    }

    if (!Array.isArray(override)) {
      return override;
    }

    const count = this.replyCounts.get(verb) ?? 0;
    this.replyCounts.set(verb, count + 1);
    return override[Math.min(count, override.length - 1)] ?? null;
  }

  private defaultReply(verb: Verb): string {
    if (verb !== "EHLO") {
      return DEFAULT_REPLIES[verb];
    }

    const lines = this.options.ehloCapabilities ?? DEFAULT_EHLO_CAPABILITIES;
    const last = lines.length - 1;
    if (last < 0) {
      return "250 \r\n";
    }
    return lines.map((line, i) => `250${i === last ? " " : "-"}${line}\r\n`).join("");
  }

  /** Queues a reply behind the ones before it, so delayed replies keep their order. */
  private enqueue(reply: PlannedReply): Promise<void> {
    this.outgoing = this.outgoing.then(() => this.send(reply));
    return this.outgoing;
  }

  private async send(reply: PlannedReply): Promise<void> {
    if (reply.delayMs > 0) {
      await this.sleep(reply.delayMs);
    }

    const cut = this.options.cutAfterBytes;
    const writes = this.limitToCut(cutIntoWrites(reply.segments, this.options.split));
    if (writes.length > 0 && this.canWrite()) {
      for (const line of replyLines(Buffer.concat(writes))) {
        this.transcript.push(`S: ${line}`);
      }
    }

    for (const [i, bytes] of writes.entries()) {
      if (i > 0) {
        await this.sleep(this.options.chunkDelayMs ?? 0);
      }
      if (!this.canWrite()) {
        return;
      }
      await this.write(bytes);
    }

    const after = cut !== undefined && this.sentBytes >= cut.bytes ? cut.after : reply.after;
    if (after === "reset" && writes.length > 0) {
      // On Linux with Node 20, a client that finds the bytes and the RST pending in the same
      // read reports EOF rather than ECONNRESET, so give it one gap to read the bytes first.
      await this.sleep(this.options.chunkDelayMs ?? 0);
      await this.sleep(0);
    }
    this.finish(after);
  }

  /** Shortens `writes` so that the server writes no more than `cutAfterBytes` in all. */
  private limitToCut(writes: Buffer[]): Buffer[] {
    const cut = this.options.cutAfterBytes;
    if (cut === undefined) {
      return writes;
    }

    let budget = cut.bytes - this.sentBytes;
    const allowed: Buffer[] = [];
    for (const bytes of writes) {
      if (budget <= 0) {
        break;
      }
      allowed.push(bytes.subarray(0, budget));
      budget -= bytes.length;
    }
    return allowed;
  }

  private finish(after: AfterReply): void {
    if (after === "keep" || this.serverFinished || this.socket.destroyed) {
      return;
    }

    this.serverFinished = true;
    if (after === "close") {
      this.transcript.push("S: <close>");
      this.socket.end();
      return;
    }

    this.transcript.push("S: <reset>");
    this.socket.resetAndDestroy();
  }

  private canWrite(): boolean {
    return !this.serverFinished && !this.socket.destroyed && this.socket.writable;
  }

  /** Resolves once Node has handed the bytes to the kernel, or the write failed. */
  private write(bytes: Buffer): Promise<void> {
    this.sentChunks.push(bytes);
    this.sentBytes += bytes.length;
    return new Promise((resolve) => {
      this.socket.write(bytes, () => resolve());
    });
  }

  /** Waits `ms` milliseconds, or one setImmediate turn for 0. A cancelled wait never resolves. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let cancel: () => void;
      const done = () => {
        this.cancelTimers.delete(cancel);
        resolve();
      };

      if (ms > 0) {
        const timer = setTimeout(done, ms);
        cancel = () => clearTimeout(timer);
      } else {
        const immediate = setImmediate(done);
        cancel = () => clearImmediate(immediate);
      }
      this.cancelTimers.add(cancel);
    });
  }

  private cancelPendingTimers(): void {
    for (const cancel of this.cancelTimers) {
      cancel();
    }
    this.cancelTimers.clear();
  }
}

function validateOptions(options: ScriptedServerOptions): void {
  const split = options.split;
  if (Array.isArray(split)) {
    for (const cut of split) {
      if (!Number.isInteger(cut) || cut < 1) {
        throw new RangeError(`Invalid split offset ${cut}: expected an integer of at least 1.`);
      }
    }
  }

  const delay = options.chunkDelayMs;
  if (delay !== undefined && !(Number.isFinite(delay) && delay >= 0)) {
    throw new RangeError(`Invalid chunkDelayMs ${delay}: expected a number of at least 0.`);
  }

  const cut = options.cutAfterBytes?.bytes;
  if (cut !== undefined && !(Number.isInteger(cut) && cut >= 0)) {
    throw new RangeError(`Invalid cutAfterBytes.bytes ${cut}: expected an integer of at least 0.`);
  }
}

/**
 * Starts a loopback SMTP server on 127.0.0.1 whose every byte comes from `options`, and
 * records what each client sends.
 *
 * The server reads a message body after DATA only when its DATA reply starts with "354".
 * After any other DATA reply it keeps reading command lines. Command lines end at LF, so a
 * client that sends a bare LF still gets a reply, and `received` and the transcript show the
 * bytes it really sent.
 */
export async function startScriptedServer(
  options: ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  validateOptions(options);
  let current = options;

  const connections: ScriptedConnection[] = [];
  let connectionWaiters: Array<{ index: number; resolve: (c: ScriptedConnection) => void }> = [];
  let returnedConnections = 0;

  const listener = net.createServer((socket) => {
    const connection = new ScriptedConnection(connections.length + 1, socket, current);
    connections.push(connection);

    const index = connections.length - 1;
    for (const waiter of connectionWaiters.filter((w) => w.index === index)) {
      waiter.resolve(connection);
    }
    connectionWaiters = connectionWaiters.filter((w) => w.index !== index);
  });

  const connectionAt = (index: number): Promise<ScriptedConnection> => {
    const existing = connections[index];
    if (existing !== undefined) {
      return Promise.resolve(existing);
    }
    return new Promise((resolve) => connectionWaiters.push({ index, resolve }));
  };

  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen({ host: LOOPBACK, port: 0, exclusive: true }, () => {
      listener.off("error", reject);
      resolve();
    });
  });

  const address = listener.address() as net.AddressInfo;

  return {
    host: LOOPBACK,
    port: address.port,
    connections,
    get listening() {
      return listener.listening;
    },
    waitForConnection() {
      const index = returnedConnections;
      returnedConnections += 1;
      return connectionAt(index);
    },
    async waitForClose() {
      const latest = await connectionAt(Math.max(0, connections.length - 1));
      await latest.whenClosed;
      return latest;
    },
    setOptions(next) {
      validateOptions(next);
      current = next;
    },
    close() {
      for (const connection of connections) {
        connection.destroy();
      }
      return new Promise((resolve) => listener.close(() => resolve()));
    },
  };
}

/**
 * Returns a loopback port that had nothing listening a moment ago, for "connection refused"
 * tests. Another process could bind it in between, which is unlikely on a test machine.
 */
export async function refusedPort(): Promise<number> {
  const probe = net.createServer();

  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen({ host: LOOPBACK, port: 0, exclusive: true }, () => resolve());
  });

  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
