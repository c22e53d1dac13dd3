import type { Socket } from "node:net";
import { E_INVALIDARG, IXP_E_SOCKET_READ_ERROR } from "../../imnxport/hresults.js";
import type { IXPRESULT, SMTPSTREAM } from "../../imnxport/structs.js";
import {
  DataEncoder,
  maxEncodedLength,
  NulByteError,
  nulByteProblem,
} from "../data/data-encoder.js";
import { makeResult } from "../results.js";
import type { Session } from "../session/session.js";
import { asReadError, READ_CHUNK_BYTES, type StreamReadError } from "./message-source.js";

/**
 * The end of streaming a message body. On "done", `tail` contains the body's last encoded bytes,
 * not yet written, so the caller can write them together with the final dot.
 */
export type PumpOutcome =
  | { kind: "done"; tail: Buffer }
  | { kind: "aborted" }
  | { kind: "nul"; offset: number }
  | { kind: "read-failed"; error: StreamReadError };

/** A pump outcome that ends the message without its final dot. */
export type BodyFailure = Extract<PumpOutcome, { kind: "nul" } | { kind: "read-failed" }>;

/**
 * Build the OnError result of a body that cannot be sent whole: E_INVALIDARG for a NUL byte,
 * IXP_E_SOCKET_READ_ERROR for a source that failed, with the reason in pszProblem.
 */
export function bodyFailureResult(failure: BodyFailure): IXPRESULT {
  if (failure.kind === "nul") {
    return makeResult({ hrResult: E_INVALIDARG, pszProblem: nulByteProblem(failure.offset) });
  }

  return makeResult({ hrResult: IXP_E_SOCKET_READ_ERROR, pszProblem: failure.error.message });
}

/**
 * Streams a message body to the server. It reads the source, applies the DATA transparency
 * rules (CRLF line ends and dot-stuffing, RFC 5321 §4.5.2) and writes with back-pressure. It
 * reports SMTP_SEND_STREAM progress at most once per 64 KiB read and once at the end.
 *
 * The encoded bytes of a chunk after which no progress is due wait until the next read, and
 * the last of them are returned unwritten, so that a short body and its final dot take one
 * socket write. Every progress report still follows the write of the bytes it counts.
 */
export class BodyPump {
  #aborted = false;
  readonly #outputs = new OutputBuffers();
  #wakeUp: (() => void) | null = null;
  readonly #encoder = new DataEncoder();

  constructor(
    private readonly session: Session,
    private readonly chunks: AsyncIterator<Uint8Array>,
    private readonly sizeHint: number,
    private readonly reportProgress: (info: SMTPSTREAM, done: boolean) => void,
  ) {}

  /** Stop at the next step; a wait for "drain" ends at once. */
  abort(): void {
    this.#aborted = true;
    this.#wakeUp?.();
    this.#outputs.release();
  }

  /**
   * Stream the body, starting with `first` when the first chunk was read ahead. Unless the
   * body was sent whole, the source is closed, so a file stream releases its descriptor.
   */
  async run(first?: IteratorResult<Uint8Array>): Promise<PumpOutcome> {
    const outcome = await this.#stream(first);
    if (outcome.kind !== "done") {
      closeChunks(this.chunks);
    }

    return outcome;
  }

  async #stream(first?: IteratorResult<Uint8Array>): Promise<PumpOutcome> {
    let bytesRead = 0;
    let reported = 0;
    let next = first;
    // Encoded bytes not yet written, in a buffer of their own, so they stay valid while the
    // source refills its read buffer.
    let pending: Buffer | null = null;

    for (;;) {
      let step: IteratorResult<Uint8Array>;
      try {
        step = next ?? (await this.chunks.next());
      } catch (error) {
        // The bytes read before the failure go out first, as they did before the read.
        if (pending !== null) {
          await this.#write(pending);
        }
        return this.#readFailure(error);
      }
      next = undefined;

      if (this.#aborted) {
        return { kind: "aborted" };
      }

      if (step.done === true) {
        break;
      }

      // Until the socket has taken an earlier chunk, wait: a source that never blocks would
      // otherwise run ahead of the socket within one turn of the event loop.
      await this.#outputs.ready();
      if (this.#aborted) {
        return { kind: "aborted" };
      }

      let encoded: Buffer;
      try {
        encoded = this.#encoder.encode(step.value, this.#outputs.take(step.value.length));
      } catch (error) {
        if (error instanceof NulByteError) {
          if (pending !== null) {
            await this.#write(pending);
          }
          return { kind: "nul", offset: error.offset };
        }

        throw error;
      }

      if (pending !== null && !(await this.#write(pending))) {
        return { kind: "aborted" };
      }
      pending = encoded;

      bytesRead += step.value.length;
      if (bytesRead - reported >= READ_CHUNK_BYTES) {
        const written = await this.#write(pending);
        pending = null;
        if (!written) {
          return { kind: "aborted" };
        }

        this.reportProgress(this.#progress(bytesRead, reported), false);
        reported = bytesRead;
        if (this.#aborted) {
          return { kind: "aborted" };
        }
      }
    }

    let tail = this.#encoder.finish();
    if (pending !== null) {
      tail = tail.length === 0 ? pending : Buffer.concat([pending, tail]);
    }
    if (this.#aborted || (tail.length > 0 && this.session.socket === null)) {
      return { kind: "aborted" };
    }

    this.reportProgress(
      { cbIncrement: bytesRead - reported, cbCurrent: bytesRead, cbTotal: bytesRead },
      true,
    );
    return this.#aborted ? { kind: "aborted" } : { kind: "done", tail };
  }

  #progress(current: number, reported: number): SMTPSTREAM {
    return { cbIncrement: current - reported, cbCurrent: current, cbTotal: this.sizeHint };
  }

  #readFailure(error: unknown): PumpOutcome {
    if (this.#aborted) {
      return { kind: "aborted" };
    }

    return { kind: "read-failed", error: asReadError(error) };
  }

  /** Write and wait for the socket to drain when its buffer is full; false when aborted. */
  async #write(bytes: Buffer): Promise<boolean> {
    if (bytes.length === 0) {
      return !this.#aborted;
    }

    const socket = this.session.socket;
    if (socket === null || this.#aborted) {
      return false;
    }

    const outputs = this.#outputs;
    if (this.session.writeRaw(bytes, () => outputs.giveBack(bytes))) {
      return true;
    }

    await this.#drained(socket);
    return !this.#aborted && this.session.socket === socket;
  }

  /** Wait for "drain" under the dwTimeout deadline (a server that stops reading). */
  #drained(socket: Socket): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        socket.off("drain", finish);
        socket.off("close", finish);
        this.#wakeUp = null;
        this.session.cancelDeadline();
        resolve();
      };

      this.#wakeUp = finish;
      socket.on("drain", finish);
      socket.on("close", finish);
      this.session.armDeadline();
    });
  }
}

/** Close a source's iterator, ignoring a failure to close: the body is being abandoned anyway. */
export function closeChunks(chunks: AsyncIterator<Uint8Array>): void {
  chunks.return?.(undefined).catch(() => {});
}

/** Size of an output buffer: the most one 64 KiB read can encode to. */
const OUTPUT_BYTES = maxEncodedLength(READ_CHUNK_BYTES);

/** Output buffers per message: one held back, one being written, one being filled. */
const MAX_OUTPUTS = 3;

/** Output buffers kept between messages, so a small message allocates none. */
const MAX_SPARE_OUTPUTS = 8;

/** Output buffers no message is using; shared by every transport in the process. */
const spareOutputs: Buffer[] = [];

/** The ArrayBuffers of the output buffers, to recognize them when the socket hands them back. */
const outputBuffers = new WeakSet<ArrayBufferLike>();

/**
 * The output buffers one message encodes into, each reused once the socket has flushed it. They
 * bound the memory a message takes. Without them, a source that never blocks (an IStream over a
 * file, say) could encode the whole message while the socket's write callbacks wait for the
 * event loop, and every chunk would stay in memory until then.
 */
class OutputBuffers {
  #inUse = 0;
  #waiter: (() => void) | null = null;

  /** Resolve once `take` may hand out a buffer without exceeding MAX_OUTPUTS. */
  ready(): Promise<void> {
    if (this.#inUse < MAX_OUTPUTS) {
      return Promise.resolve();
    }

    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** Return a buffer for encoding `inputLength` bytes, or undefined when the chunk is too large for one. */
  take(inputLength: number): Buffer | undefined {
    if (maxEncodedLength(inputLength) > OUTPUT_BYTES) {
      return undefined;
    }

    this.#inUse += 1;
    const spare = spareOutputs.pop();
    if (spare !== undefined) {
      return spare;
    }

    // Unfilled memory is fine: only the bytes the encoder writes are ever read.
    const buffer = Buffer.allocUnsafeSlow(OUTPUT_BYTES);
    outputBuffers.add(buffer.buffer);
    return buffer;
  }

  /** Take back the buffer behind `bytes` once the socket has written them, if it is one. */
  giveBack(bytes: Buffer): void {
    if (!outputBuffers.has(bytes.buffer)) {
      return;
    }

    this.#inUse -= 1;
    if (spareOutputs.length < MAX_SPARE_OUTPUTS) {
      spareOutputs.push(Buffer.from(bytes.buffer, 0, OUTPUT_BYTES));
    }
    this.release();
  }

  /** Wake a waiting `ready`, after a buffer came back or when the message is abandoned. */
  release(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }
}
