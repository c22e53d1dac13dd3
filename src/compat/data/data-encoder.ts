const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const NUL = 0x00;

const CRLF = Buffer.from("\r\n", "latin1");
const EXTRA_DOT = Buffer.from(".", "latin1");
const EMPTY = Buffer.alloc(0);

/** Describe a NUL byte at `offset` of a message body, as OnError's pszProblem shows it. */
export function nulByteProblem(offset: number): string {
  return `NUL byte in message at offset ${offset}`;
}

/** A NUL byte in a message body, which SMTP DATA cannot carry (RFC 5321 §4.5.2, §2.3.8). */
export class NulByteError extends Error {
  /** Position of the NUL byte, counted in input bytes from the start of the message. */
  readonly offset: number;

  constructor(offset: number) {
    super(nulByteProblem(offset));
    this.name = "NulByteError";
    this.offset = offset;
  }
}

/**
 * Turns a message body into the bytes sent between the 354 reply to DATA and the final `.`
 * line, following the transparency rules of RFC 5321 §4.5.2:
 *
 * - every bare CR and every bare LF becomes CRLF, and CRLF stays CRLF, so `\r\r\n` becomes two
 *   CRLFs (RFC 5321 §2.3.8 forbids CR and LF outside the CRLF pair);
 * - a line that starts with `.` gets one more `.` in front, and the first line of the body counts
 *   as a line start;
 * - `finish` adds a CRLF when the body does not end with one.
 *
 * So the output never contains CRLF `.` CRLF, and the caller sends `.\r\n` after it. The
 * encoder keeps one byte of state between chunks (a trailing CR waits for the next chunk) and
 * its memory does not grow with the message.
 *
 * NOTE: lines longer than 998 bytes pass through unchanged, although RFC 5321 §4.5.3.1.6 limits
 * a text line to 1000 bytes including CRLF. The message composer has to encode such lines.
 */
export class DataEncoder {
  #bytesIn = 0;
  /** True when the next input byte starts a line, as the first byte of the body does. */
  #atLineStart = true;
  /** True when the previous chunk ended in a CR whose CRLF is not written yet. */
  #pendingCr = false;
  #failure: NulByteError | null = null;
  #finished = false;

  /** Number of input bytes encoded so far. */
  get bytesIn(): number {
    return this.#bytesIn;
  }

  /**
   * Encodes one chunk of the body and returns the bytes to write for it, as a new Buffer, so the
   * caller may reuse `chunk` afterwards. With `into` of at least `maxEncodedLength(chunk.length)`
   * bytes, the result is written there and is a view of it, which lets a caller reuse output
   * buffers instead of allocating one per chunk. A CR at the end of the chunk is held back until
   * the next chunk or `finish` shows whether an LF follows.
   *
   * @throws NulByteError when the chunk contains a NUL byte. The encoder then throws the same
   * error on every later call, because the message must be abandoned without its final dot.
   */
  encode(chunk: Uint8Array, into?: Buffer): Buffer {
    this.#checkUsable();

    const input = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const nulAt = input.indexOf(NUL);
    if (nulAt !== -1) {
      this.#failure = new NulByteError(this.#bytesIn + nulAt);
      throw this.#failure;
    }

    this.#bytesIn += input.length;
    const parts: Buffer[] = [];
    let position = 0;

    if (this.#pendingCr && input.length > 0) {
      // The held-back CR becomes CRLF, whether the LF that completes it is here or missing.
      parts.push(CRLF);
      this.#pendingCr = false;
      this.#atLineStart = true;
      if (input[0] === LF) {
        position = 1;
      }
    }

    this.#encodeRuns(input, position, parts);
    return joinParts(parts, into);
  }

  /**
   * Returns the bytes still owed after the last chunk: the CRLF of a held-back CR, or a CRLF
   * when the body does not end with a line end. It returns an empty Buffer for an empty body.
   * The result never includes the final `.\r\n` line.
   */
  finish(): Buffer {
    this.#checkUsable();
    this.#finished = true;

    if (this.#pendingCr) {
      this.#pendingCr = false;
      this.#atLineStart = true;
      return Buffer.from(CRLF);
    }

    if (this.#bytesIn === 0 || this.#atLineStart) {
      return Buffer.from(EMPTY);
    }

    this.#atLineStart = true;
    return Buffer.from(CRLF);
  }

  /**
   * Appends the encoded form of `input` from `start` to `parts`. Bytes that need no change are
   * passed on as subarrays of `input`, so only changed spots split the copy.
   */
  #encodeRuns(input: Buffer, start: number, parts: Buffer[]): void {
    const length = input.length;
    let runStart = start;
    let position = start;
    // Positions of the next CR and LF at or after `position`, or -1 once none is left.
    let nextCr = input.indexOf(CR, position);
    let nextLf = input.indexOf(LF, position);

    while (position < length) {
      if (this.#atLineStart) {
        this.#atLineStart = false;
        if (input[position] === DOT) {
          // RFC 5321 §4.5.2: a line that starts with a period gets one more period in front.
          pushRun(parts, input, runStart, position);
          parts.push(EXTRA_DOT);
          runStart = position;
        }
      }

      if (nextCr !== -1 && nextCr < position) {
        nextCr = input.indexOf(CR, position);
      }
      if (nextLf !== -1 && nextLf < position) {
        nextLf = input.indexOf(LF, position);
      }
      const lineEnd = earliest(nextCr, nextLf);
      if (lineEnd === -1) {
        break;
      }

      if (input[lineEnd] === LF) {
        // A CRLF pair is consumed in the CR branch, so this LF is bare.
        pushRun(parts, input, runStart, lineEnd);
        parts.push(CRLF);
        runStart = lineEnd + 1;
        position = lineEnd + 1;
        this.#atLineStart = true;
        continue;
      }

      if (lineEnd + 1 === length) {
        // A CR at the end of the chunk: the next chunk decides whether it is half of a CRLF.
        pushRun(parts, input, runStart, lineEnd);
        this.#pendingCr = true;
        runStart = length;
        position = length;
        break;
      }

      if (input[lineEnd + 1] === LF) {
        // A CRLF pair is already correct, so it stays inside the current run.
        position = lineEnd + 2;
      } else {
        pushRun(parts, input, runStart, lineEnd);
        parts.push(CRLF);
        runStart = lineEnd + 1;
        position = lineEnd + 1;
      }
      this.#atLineStart = true;
    }

    pushRun(parts, input, runStart, length);
  }

  #checkUsable(): void {
    if (this.#failure !== null) {
      throw this.#failure;
    }
    if (this.#finished) {
      throw new Error("DataEncoder was already finished. Create a new encoder for each message.");
    }
  }
}

/** Encodes a whole body at once, including the CRLF that `finish` may add. */
export function encodeAll(body: Uint8Array): Buffer {
  const encoder = new DataEncoder();
  return Buffer.concat([encoder.encode(body), encoder.finish()]);
}

/**
 * The most bytes `encode` can return for `inputLength` input bytes: every byte may double (a bare
 * LF becomes CRLF, a period at a line start gets a second one), plus a held-back CR's CRLF.
 */
export function maxEncodedLength(inputLength: number): number {
  return 2 * inputLength + 2;
}

/** Concatenate `parts` into `into` when it is large enough, else into a new Buffer. */
function joinParts(parts: readonly Buffer[], into: Buffer | undefined): Buffer {
  let total = 0;
  for (const part of parts) {
    total += part.length;
  }

  if (into === undefined || into.length < total) {
    return Buffer.concat(parts, total);
  }

  let offset = 0;
  for (const part of parts) {
    part.copy(into, offset);
    offset += part.length;
  }
  return into.subarray(0, total);
}

function pushRun(parts: Buffer[], input: Buffer, start: number, end: number): void {
  if (end > start) {
    parts.push(input.subarray(start, end));
  }
}

/** Returns the smaller of two indexOf results, where -1 means "not found". */
function earliest(a: number, b: number): number {
  if (a === -1) {
    return b;
  }
  if (b === -1) {
    return a;
  }
  return Math.min(a, b);
}
