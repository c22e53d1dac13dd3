import type { Socket } from "node:net";
import { IXP_DISCONNECTED, type IXPSTATUS, SMTP_NONE } from "../../imnxport/enums.js";
import {
  IXP_E_CONNECTION_DROPPED,
  IXP_E_SMTP_421_NOT_AVAILABLE,
  IXP_E_SMTP_UNKNOWN_RESPONSE_CODE,
  IXP_E_TIMEOUT,
} from "../../imnxport/hresults.js";
import type { ISMTPTransport } from "../../imnxport/interfaces.js";
import type { IXPRESULT } from "../../imnxport/structs.js";
import type { CallbackDispatcher } from "../callback-dispatcher.js";
import type { NetworkSeam } from "../net/connection.js";
import { errorCodeOf } from "../net/connection.js";
import { makeResponse, makeResult, type ReplyFacts } from "../results.js";
import { WSAECONNRESET, winsockErrorFor } from "../winsock.js";
import { quit } from "../wire/commands.js";
import { ProtocolError } from "../wire/errors.js";
import { hresultForReply } from "../wire/reply-codes.js";
import { type ReplyLine, ReplyParser } from "../wire/reply-parser.js";
import { DEFAULT_TIMEOUT_SECONDS, Deadline } from "./deadline.js";
import { type Reply, type ReplyExpectation, replyKind } from "./reply-expectation.js";

export type { Reply, ReplyExpectation };

/**
 * The connection-level state machine shared by the connect, message and single-command flows:
 * one socket, the reply parser, the reply awaited, its deadline, and the status reported.
 *
 * Every reply line is reported as OnCommand(CMD_RESP) and OnResponse with fDone on the last
 * line. A reply no command elicited, a malformed reply, a loss of the connection and an expired
 * deadline all end here, each with exactly one OnError and then IXP_DISCONNECTED.
 */
export class Session {
  status: IXPSTATUS = IXP_DISCONNECTED;
  timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  /** A flow (connect, message) that keeps the transport busy between replies. */
  flowActive = false;
  /** The server is reading message data: only the body and the final dot may follow. */
  dataMode = false;
  /** QUIT was sent, so a close is expected rather than a loss. */
  quitting = false;
  /** Set when the transport itself is closing; new commands are refused. */
  closing = false;
  /** Connect delivered SMTP_CONNECTED on this connection. */
  established = false;
  /** The connection is protected by TLS (implicit, or after STARTTLS). */
  secure = false;
  /** AUTH succeeded on this connection (IXP_IS_AUTHENTICATED). */
  authenticated = false;
  lastReply: ReplyFacts | null = null;
  /** Called whenever the connection ends, so flows can stop their own work. */
  onTeardown: (() => void) | null = null;

  #socket: Socket | null = null;
  /** The plain socket is being handed to TLS: its events no longer concern the session. */
  #handingOver = false;
  #parser = new ReplyParser();
  #pending: ReplyExpectation | null = null;
  /** Replies awaited after #pending, for commands sent together (PIPELINING, RFC 2920). */
  #queued: ReplyExpectation[] = [];
  #serverSpokeEarly = false;
  #socketError = 0;
  readonly #deadline: Deadline;

  constructor(
    readonly transport: ISMTPTransport,
    readonly callbacks: CallbackDispatcher,
    readonly network: NetworkSeam,
  ) {
    this.#deadline = new Deadline(
      (box) => this.callbacks.timeout(box),
      () => this.#onDeadlineExpired(),
    );
  }

  get socket(): Socket | null {
    return this.#socket;
  }

  get awaitingReply(): boolean {
    return this.#pending !== null;
  }

  get busy(): boolean {
    return this.#pending !== null || this.flowActive;
  }

  /** True from the TCP connect until the connection ends. */
  get connected(): boolean {
    return this.#socket !== null;
  }

  setStatus(status: IXPSTATUS): void {
    this.status = status;
    this.callbacks.status(status);
  }

  /** Take over a connected socket and start reading replies from it. */
  adopt(socket: Socket, secure = false): void {
    this.#handingOver = false;
    this.secure = secure;
    this.#socket = socket;
    this.#parser = new ReplyParser();
    this.#socketError = 0;
    this.#serverSpokeEarly = false;
    this.lastReply = null;
    this.quitting = false;
    this.closing = false;
    this.dataMode = false;
    this.established = false;
    this.authenticated = false;

    socket.on("data", (chunk: Buffer) => this.#onData(socket, chunk));
    socket.on("error", (error: Error) => this.#onSocketError(socket, error));
    socket.on("close", () => this.#onClose(socket));
  }

  /**
   * Stop reading the plain socket so STARTTLS can wrap it. Every byte received after the 220
   * is discarded, so nothing the server sent in plaintext can pose as a reply over TLS
   * (RFC 3207 §4.2). The socket stays the session's until `adopt` takes the TLS socket.
   */
  handOverForTls(): Socket | null {
    this.#handingOver = true;
    this.#parser.discardBuffered();
    return this.#socket;
  }

  /** Write a command line; `logged` replaces the line in OnCommand when it carries a secret. */
  writeCommand(line: string, logged: string = line): void {
    if (this.#parser.bufferedBytes > 0) {
      this.#serverSpokeEarly = true;
    }

    this.callbacks.sent(logged);
    this.writeRaw(Buffer.from(line, "utf8"));
  }

  /**
   * Write `prefix` and then a command line in one socket write, such as the message body's last
   * bytes and the final dot. OnCommand reports only the command line.
   */
  writeAfter(prefix: Uint8Array, line: string, logged: string = line): void {
    if (prefix.length === 0) {
      this.writeCommand(line, logged);
      return;
    }

    if (this.#parser.bufferedBytes > 0) {
      this.#serverSpokeEarly = true;
    }

    this.callbacks.sent(logged);
    const lineBytes = Buffer.byteLength(line, "utf8");
    const bytes = Buffer.allocUnsafe(prefix.length + lineBytes);
    bytes.set(prefix, 0);
    bytes.write(line, prefix.length, lineBytes, "utf8");
    this.writeRaw(bytes);
  }

  /**
   * Run `write` with the socket corked, so that the commands it writes leave in one system call
   * instead of one small segment each (which Nagle's algorithm would otherwise hold back).
   */
  corked(write: () => void): void {
    const socket = this.#socket;
    if (socket === null || socket.destroyed) {
      write();
      return;
    }

    socket.cork();
    try {
      write();
    } finally {
      socket.uncork();
    }
  }

  /**
   * Write bytes; returns false when the socket buffer is full (wait for "drain"). `onFlushed`
   * runs once the socket no longer needs `bytes`, so their buffer may be reused.
   */
  writeRaw(bytes: Uint8Array, onFlushed?: () => void): boolean {
    const socket = this.#socket;
    if (socket === null || socket.destroyed) {
      return true;
    }

    return onFlushed === undefined ? socket.write(bytes) : socket.write(bytes, () => onFlushed());
  }

  /** Await the reply to the command just written, under the dwTimeout deadline. */
  expectReply(expectation: ReplyExpectation): void {
    if (this.#socket === null) {
      return;
    }

    this.#pending = expectation;
    const seconds = Math.max(this.timeoutSeconds, expectation.minTimeoutSeconds ?? 0);
    this.#deadline.arm(seconds, expectation.quietTimeout !== true);
  }

  /**
   * Route replies to `expectation` without a reply deadline. A server may reply while the
   * message body is still being written (RFC 5321 §3.8), and the body has its own write deadline.
   */
  watchReplies(expectation: ReplyExpectation): void {
    if (this.#socket === null) {
      return;
    }

    this.#pending = expectation;
  }

  /**
   * Await one more reply after those already awaited: the replies to pipelined commands are
   * matched to their commands strictly in order (RFC 2920 §3.1).
   */
  queueReply(expectation: ReplyExpectation): void {
    if (this.#pending === null) {
      this.expectReply(expectation);
      return;
    }

    this.#queued.push(expectation);
  }

  /** Move to the next queued reply, whose deadline counts from now, when the last one came. */
  #takeNextExpectation(): void {
    const next = this.#queued.shift() ?? null;
    this.#pending = null;
    this.#deadline.cancel();
    if (next !== null) {
      this.expectReply(next);
    }
  }

  /** Stop routing replies to the current expectation (the body ended and the dot follows). */
  stopWatching(): void {
    this.#pending = null;
  }

  /** Start a deadline for work other than a reply (a connect, a write the server does not drain). */
  armDeadline(seconds: number = this.timeoutSeconds): void {
    this.#deadline.arm(seconds);
  }

  cancelDeadline(): void {
    this.#deadline.cancel();
  }

  /** Deadline expiry outside a reply wait; flows that arm the deadline themselves set this. */
  onDeadline: (() => void) | null = null;

  /** Report a fatal error, close the connection and report IXP_DISCONNECTED. */
  fail(result: IXPRESULT): void {
    if (this.status === IXP_DISCONNECTED) {
      return;
    }

    const status = this.status;
    const socket = this.#socket;
    this.#teardown();
    socket?.destroy();
    this.callbacks.error(status, result);
    this.#finishDisconnect();
  }

  /**
   * Report a fatal server reply, then send QUIT as a courtesy and close once the server
   * replies or closes. The QUIT reply is logged through OnCommand only.
   */
  failWithQuit(result: IXPRESULT): void {
    const socket = this.#socket;
    if (socket === null || socket.destroyed || !socket.writable) {
      this.fail(result);
      return;
    }

    this.flowActive = false;
    this.dataMode = false;
    this.closing = true;
    this.callbacks.error(this.status, result);
    if (this.#socket !== socket) {
      return;
    }

    this.quitting = true;
    this.writeCommand(quit());
    this.expectReply({
      command: SMTP_NONE,
      report: false,
      quietTimeout: true,
      onReply: () => this.drop(),
    });
  }

  /** Close the connection now without OnError and report IXP_DISCONNECTED. */
  drop(): void {
    if (this.status === IXP_DISCONNECTED) {
      return;
    }

    const socket = this.#socket;
    this.#teardown();
    socket?.destroy();
    this.#finishDisconnect();
  }

  /**
   * Close the connection without any callback. The caller reports what happened and then
   * calls `reportDisconnected`.
   */
  detach(): void {
    const socket = this.#socket;
    this.#teardown();
    socket?.destroy();
  }

  /**
   * Send QUIT and close without waiting for the reply and without IXP_DISCONNECTED: the
   * connection is being replaced by a new attempt (IXP_AUTHRETRY).
   */
  closeForRetry(): void {
    const socket = this.#socket;
    if (socket === null) {
      return;
    }

    this.writeCommand(quit());
    this.#teardown();
    socket.on("error", () => {});
    const forceClose = setTimeout(() => socket.destroy(), 1000);
    socket.once("close", () => clearTimeout(forceClose));
    socket.end();
  }

  reportDisconnected(): void {
    this.#finishDisconnect();
  }

  /** Report a failure from before the TCP connect, then IXP_DISCONNECTED. */
  failBeforeConnect(status: IXPSTATUS, result: IXPRESULT): void {
    this.#teardown();
    this.callbacks.error(status, result);
    this.#finishDisconnect();
  }

  protocolError(text: string | null, code = 0): void {
    this.fail(
      makeResult({
        hrResult: IXP_E_SMTP_UNKNOWN_RESPONSE_CODE,
        reply: text === null ? null : { text, code, hr: IXP_E_SMTP_UNKNOWN_RESPONSE_CODE },
      }),
    );
  }

  /** Build the result for a lost connection: the socket error and the last reply read, if any. */
  droppedResult(): IXPRESULT {
    return makeResult({
      hrResult: IXP_E_CONNECTION_DROPPED,
      reply: this.lastReply,
      dwSocketError: this.#socketError,
    });
  }

  #onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.#socket || this.#handingOver) {
      return;
    }

    this.#parser.push(chunk);
    this.#drainLines(socket);
  }

  #drainLines(socket: Socket): void {
    while (socket === this.#socket && !this.#handingOver) {
      const early = this.#serverSpokeEarly;
      let line: ReplyLine | null;
      try {
        line = this.#parser.next();
      } catch (error) {
        if (!(error instanceof ProtocolError)) {
          throw error;
        }

        this.callbacks.received(error.line ?? "", IXP_E_SMTP_UNKNOWN_RESPONSE_CODE);
        if (socket === this.#socket) {
          this.protocolError(error.line);
        }
        return;
      }

      if (line === null) {
        return;
      }

      if (line.isLast) {
        this.#serverSpokeEarly = false;
      }

      this.#handleLine(line, early);
    }
  }

  #handleLine(line: ReplyLine, early: boolean): void {
    const pending = this.#pending;
    if (pending === null || (early && line.code !== 421)) {
      this.#handleUnsolicited(line);
      return;
    }

    const socket = this.#socket;
    const hr = hresultForReply(line.code, pending.command);
    const facts: ReplyFacts = { text: line.text, code: line.code, hr };
    const kind = replyKind(line.code, pending.command);
    this.lastReply = facts;
    this.callbacks.received(line.text, hr);
    if (socket !== this.#socket) {
      return;
    }

    if (kind === "unexpected") {
      this.protocolError(line.text, line.code);
      return;
    }

    if (line.isLast) {
      this.#takeNextExpectation();
      this.closing ||= line.code === 421;
      pending.beforeResponse?.({ text: facts.text, code: facts.code, hr, kind });
    }

    if (pending.report !== false) {
      const result = makeResult({ hrResult: hr, reply: facts });
      this.callbacks.response(makeResponse(pending.command, line.isLast, result, this.transport));
    }

    if (socket !== this.#socket) {
      return;
    }

    pending.onLine?.(line);
    if (line.isLast && socket === this.#socket) {
      pending.onReply({ text: facts.text, code: facts.code, hr, kind });
    }
  }

  /** A reply that no command elicited: a 421 closes the session, anything else is a protocol error. */
  #handleUnsolicited(line: ReplyLine): void {
    const socket = this.#socket;
    const hr = hresultForReply(line.code, SMTP_NONE);
    this.lastReply = { text: line.text, code: line.code, hr };
    this.callbacks.received(line.text, hr);
    if (socket !== this.#socket) {
      return;
    }

    if (line.code !== 421) {
      this.protocolError(line.text, line.code);
      return;
    }

    if (!line.isLast) {
      this.expectReply({
        command: SMTP_NONE,
        report: false,
        quietTimeout: true,
        onReply: () => this.#fail421(),
      });
      return;
    }

    this.#fail421();
  }

  #fail421(): void {
    this.fail(makeResult({ hrResult: IXP_E_SMTP_421_NOT_AVAILABLE, reply: this.lastReply }));
  }

  #onSocketError(socket: Socket, error: Error): void {
    if (socket !== this.#socket || this.#handingOver) {
      return;
    }

    const code = errorCodeOf(error);
    this.#socketError = code === "EPIPE" ? WSAECONNRESET : winsockErrorFor(code);
  }

  #onClose(socket: Socket): void {
    if (socket !== this.#socket || this.#handingOver) {
      return;
    }

    const active = this.busy || this.dataMode;
    if (this.quitting || !active) {
      this.drop();
      return;
    }

    this.fail(this.droppedResult());
  }

  #onDeadlineExpired(): void {
    if (this.onDeadline !== null && this.#pending === null) {
      this.onDeadline();
      return;
    }

    if (this.quitting) {
      this.drop();
      return;
    }

    // The last reply answered an earlier command, so the timeout result carries none.
    this.fail(makeResult({ hrResult: IXP_E_TIMEOUT }));
  }

  #teardown(): void {
    this.#deadline.cancel();
    this.#pending = null;
    this.#queued = [];
    this.#socket = null;
    this.flowActive = false;
    this.dataMode = false;
    this.quitting = false;
    this.closing = false;
    this.established = false;
    this.secure = false;
    this.authenticated = false;
    this.#handingOver = false;
    this.onDeadline = null;
    this.onTeardown?.();
  }

  /** Report IXP_DISCONNECTED once, even when a callback already dropped the connection. */
  #finishDisconnect(): void {
    if (this.status === IXP_DISCONNECTED) {
      return;
    }

    this.setStatus(IXP_DISCONNECTED);
  }
}
