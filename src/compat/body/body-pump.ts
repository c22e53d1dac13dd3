import type { Socket } from "node:net";
import type { SMTPSTREAM } from "../../imnxport/structs.js";
import { DataEncoder, NulByteError } from "../data/data-encoder.js";
import type { Session } from "../session/session.js";
import { asReadError, READ_CHUNK_BYTES, type StreamReadError } from "./message-source.js";

/**
 * How streaming a message body ended. On "done", `tail` contains the body's last encoded bytes,
 * not yet written, so the caller can write them together with the final dot.
 */
export type PumpOutcome =
  | { kind: "done"; tail: Buffer }
  | { kind: "aborted" }
  | { kind: "nul"; offset: number }
  | { kind: "read-failed"; error: StreamReadError };

/**
 * Streams a message body to the server: reads the source, applies the DATA transparency rules
 * (CRLF line ends and dot-stuffing, RFC 5321 §4.5.2), writes with back-pressure, and reports
 * SMTP_SEND_STREAM progress at most once per 64 KiB read and once at the end.
 *
 * The encoded bytes of a chunk after which no progress is due wait until the next read, and
 * the last of them are returned unwritten, so that a short body and its final dot take one
 * socket write. Every progress report still follows the write of the bytes it counts.
 */
export class BodyPump {
  #aborted = false;
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
    // Encoded bytes not yet written. DataEncoder.encode returns a new Buffer, so they stay
    // valid while the source refills its read buffer.
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

      let encoded: Buffer;
      try {
        encoded = this.#encoder.encode(step.value);
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

    if (this.session.writeRaw(bytes)) {
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
