import { ProtocolError } from "./errors.js";

/** Maximum length of one reply line in bytes, including its CRLF or LF line end. */
export const MAX_REPLY_LINE_BYTES = 2048;

/** Maximum size of one reply (all of its lines, line ends included) in bytes. */
export const MAX_REPLY_BYTES = 64 * 1024;

/** Maximum number of lines in one reply. */
export const MAX_REPLY_LINES = 256;

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HYPHEN = 0x2d;

/** Number of characters of a line that error messages quote. */
const MESSAGE_PREVIEW_CHARS = 60;

/** One line of a server reply. */
export interface ReplyLine {
  /** The three-digit reply code. */
  code: number;
  /** False on `NNN-` continuation lines, true on the line that ends the reply. */
  isLast: boolean;
  /**
   * The whole line (code included) without its line end, decoded as UTF-8 with U+FFFD for
   * invalid bytes. Every control character except TAB becomes `?`, including NUL, DEL and the
   * C1 controls.
   */
  text: string;
}

/**
 * Splits the bytes a server sends into reply lines and checks their syntax (RFC 5321 §4.2).
 *
 * The parser has no I/O: `push` adds received bytes, `next` returns one complete line at a time.
 * Results do not depend on how the bytes were split into chunks. Lines end in CRLF or bare LF.
 * `push` keeps a reference to each chunk, without copying, until `next` has returned or
 * `discardBuffered` has dropped all of its bytes, so a caller must not overwrite a pushed chunk.
 * A socket's "data" events give a new Buffer each time, so they can be pushed as they are.
 */
export class ReplyParser {
  /** Received chunks not yet fully read. Reading continues at `#offset` in the first one. */
  #chunks: Buffer[] = [];
  #offset = 0;
  #bufferedBytes = 0;
  /** Bytes after the last LF among the buffered bytes, which is the unfinished line. */
  #partialBytes = 0;

  /** An over-long partial line, raised once the complete lines buffered before it are read. */
  #pendingError: ProtocolError | null = null;
  /** Bytes dropped because of `#pendingError`. */
  #droppedBytes = 0;
  /** The error that `next` raised and raises again on every later call. */
  #error: ProtocolError | null = null;

  /** Code of the multi-line reply under way, or null between replies. */
  #replyCode: number | null = null;
  #replyLines = 0;
  #replyBytes = 0;

  /**
   * Adds received bytes. It never throws. When the unfinished line reaches
   * MAX_REPLY_LINE_BYTES, its bytes and every later chunk are dropped at once, so memory stays
   * bounded, and `next` raises ERR_REPLY_LINE_TOO_LONG after returning the lines before it.
   */
  push(chunk: Uint8Array): void {
    if (this.#error !== null || this.#pendingError !== null) {
      this.#droppedBytes += chunk.byteLength;
      return;
    }

    if (chunk.byteLength === 0) {
      return;
    }

    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#chunks.push(bytes);
    this.#bufferedBytes += bytes.length;

    const lastLf = bytes.lastIndexOf(LF);
    this.#partialBytes =
      lastLf === -1 ? this.#partialBytes + bytes.length : bytes.length - lastLf - 1;

    // A partial line of MAX_REPLY_LINE_BYTES cannot end within the limit, because its line end
    // adds at least one byte.
    if (this.#partialBytes >= MAX_REPLY_LINE_BYTES) {
      this.#rejectPartialLine();
    }
  }

  /**
   * Returns the next complete reply line, or null when no complete line is buffered.
   *
   * @throws ProtocolError when the line breaks the reply syntax or a limit. After that, every
   * call throws the same error until `reset`.
   */
  next(): ReplyLine | null {
    if (this.#error !== null) {
      throw this.#error;
    }

    const raw = this.#takeLine();
    if (raw === null) {
      if (this.#pendingError !== null) {
        throw this.#fail(this.#pendingError);
      }
      return null;
    }

    const result = this.#parseLine(raw);
    if (result instanceof ProtocolError) {
      throw this.#fail(result);
    }
    return result;
  }

  /**
   * Drops every byte that `next` has not returned and returns how many there were. A client
   * calls it after the 220 reply to STARTTLS, because bytes that arrived before the TLS
   * handshake must not be read as if they came over TLS (RFC 3207 §4.2). An over-long line that
   * `push` already rejected stays an error, and its bytes are included in the count.
   */
  discardBuffered(): number {
    const count = this.#bufferedBytes + this.#droppedBytes;
    this.#dropBuffers();
    this.#droppedBytes = 0;
    return count;
  }

  /**
   * True while bytes not yet returned by `next` are buffered (for example an unfinished line),
   * or a multi-line reply has started and its last line has not been returned.
   */
  get hasPartialReply(): boolean {
    return this.#bufferedBytes > 0 || this.#replyCode !== null || this.#pendingError !== null;
  }

  /** Number of received bytes that `next` has not returned yet. */
  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  /** Returns the parser to its initial state, clearing buffered bytes and any error. */
  reset(): void {
    this.#dropBuffers();
    this.#pendingError = null;
    this.#droppedBytes = 0;
    this.#error = null;
    this.#endReply();
  }

  #parseLine(raw: Buffer): ReplyLine | ProtocolError {
    if (raw.length > MAX_REPLY_LINE_BYTES) {
      return lineTooLongError(raw.subarray(0, MAX_REPLY_LINE_BYTES));
    }

    // The last byte is the LF, and a CR right before it belongs to the CRLF line end.
    let end = raw.length - 1;
    if (end > 0 && raw[end - 1] === CR) {
      end -= 1;
    }
    const content = raw.subarray(0, end);
    const text = decodeReplyText(content);

    if (content.indexOf(CR) !== -1) {
      return new ProtocolError(
        "ERR_REPLY_STRAY_CR",
        `Invalid reply line ${preview(text)}: it contains a CR that is not followed by LF.`,
        text,
      );
    }

    const code = parseReplyCode(content);
    if (code === null) {
      return new ProtocolError(
        "ERR_REPLY_MALFORMED",
        `Invalid reply line ${preview(text)}: a reply line must start with a code of three ` +
          `digits (2-5, 0-5, 0-9) followed by a space, "-" or the line end.`,
        text,
      );
    }

    if (this.#replyCode !== null && code !== this.#replyCode) {
      return new ProtocolError(
        "ERR_REPLY_CODE_MISMATCH",
        `Invalid multi-line reply: line ${preview(text)} has code ${code}, but the reply ` +
          `started with code ${this.#replyCode}.`,
        text,
      );
    }

    if (this.#replyLines + 1 > MAX_REPLY_LINES) {
      return new ProtocolError(
        "ERR_REPLY_TOO_LARGE",
        `Reply with code ${code} has more than ${MAX_REPLY_LINES} lines.`,
        text,
      );
    }

    if (this.#replyBytes + raw.length > MAX_REPLY_BYTES) {
      return new ProtocolError(
        "ERR_REPLY_TOO_LARGE",
        `Reply with code ${code} is larger than ${MAX_REPLY_BYTES} bytes.`,
        text,
      );
    }

    const isLast = content.length === 3 || content[3] === SP;
    if (isLast) {
      this.#endReply();
    } else {
      this.#replyCode = code;
      this.#replyLines += 1;
      this.#replyBytes += raw.length;
    }
    return { code, isLast, text };
  }

  /** Removes and returns the bytes of the first complete line, line end included. */
  #takeLine(): Buffer | null {
    // Every buffered byte after the last LF belongs to the partial line, so equal counts mean
    // that no LF is buffered.
    if (this.#bufferedBytes === this.#partialBytes) {
      return null;
    }

    const chunks = this.#chunks;
    let index = 0;
    let lfAt = (chunks[0] as Buffer).indexOf(LF, this.#offset);
    while (lfAt === -1) {
      index += 1;
      lfAt = (chunks[index] as Buffer).indexOf(LF);
    }

    const lineEnd = lfAt + 1;
    let line: Buffer;
    if (index === 0) {
      line = (chunks[0] as Buffer).subarray(this.#offset, lineEnd);
    } else {
      // The line spans chunks: this is the only place that copies bytes.
      const parts = chunks.slice(0, index + 1);
      parts[0] = (parts[0] as Buffer).subarray(this.#offset);
      parts[index] = (parts[index] as Buffer).subarray(0, lineEnd);
      line = Buffer.concat(parts);
    }

    if (lineEnd === (chunks[index] as Buffer).length) {
      chunks.splice(0, index + 1);
      this.#offset = 0;
    } else {
      chunks.splice(0, index);
      this.#offset = lineEnd;
    }
    this.#bufferedBytes -= line.length;
    return line;
  }

  /** Drops the over-long partial line at the end of the buffer and records the error. */
  #rejectPartialLine(): void {
    const tail = this.#removeTail(this.#partialBytes);
    this.#droppedBytes = this.#partialBytes;
    this.#partialBytes = 0;
    this.#pendingError = lineTooLongError(Buffer.concat(tail, MAX_REPLY_LINE_BYTES));
  }

  /** Removes the last `count` buffered bytes and returns them in order. */
  #removeTail(count: number): Buffer[] {
    const removed: Buffer[] = [];
    let remaining = count;
    while (remaining > 0) {
      const index = this.#chunks.length - 1;
      const chunk = this.#chunks[index] as Buffer;
      const start = index === 0 ? this.#offset : 0;
      const available = chunk.length - start;
      if (available <= remaining) {
        removed.push(chunk.subarray(start));
        this.#chunks.pop();
        if (index === 0) {
          this.#offset = 0;
        }
        remaining -= available;
      } else {
        const keep = chunk.length - remaining;
        removed.push(chunk.subarray(keep));
        this.#chunks[index] = chunk.subarray(0, keep);
        remaining = 0;
      }
    }
    this.#bufferedBytes -= count;
    return removed.reverse();
  }

  #fail(error: ProtocolError): ProtocolError {
    this.#error = error;
    this.#pendingError = null;
    this.#dropBuffers();
    return error;
  }

  #dropBuffers(): void {
    this.#chunks = [];
    this.#offset = 0;
    this.#bufferedBytes = 0;
    this.#partialBytes = 0;
  }

  #endReply(): void {
    this.#replyCode = null;
    this.#replyLines = 0;
    this.#replyBytes = 0;
  }
}

/**
 * Returns the code of a line without its line end, or null unless the line starts with
 * `[2-5][0-5][0-9]` followed by a space, `-` or nothing (RFC 5321 §4.2 reply-code ABNF).
 */
function parseReplyCode(content: Buffer): number | null {
  if (content.length < 3) {
    return null;
  }

  const hundreds = (content[0] as number) - 0x30;
  const tens = (content[1] as number) - 0x30;
  const units = (content[2] as number) - 0x30;
  if (hundreds < 2 || hundreds > 5 || tens < 0 || tens > 5 || units < 0 || units > 9) {
    return null;
  }

  if (content.length > 3 && content[3] !== SP && content[3] !== HYPHEN) {
    return null;
  }
  return hundreds * 100 + tens * 10 + units;
}

// C0 controls except TAB (LF included, though a decoded line never contains one), DEL and the
// C1 controls, which some terminals also interpret.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to find control characters.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** Decodes reply bytes as UTF-8 and replaces control characters other than TAB with `?`. */
function decodeReplyText(bytes: Buffer): string {
  return bytes.toString("utf8").replace(CONTROL_CHARACTERS, "?");
}

function lineTooLongError(firstBytes: Buffer): ProtocolError {
  const text = decodeReplyText(firstBytes);
  return new ProtocolError(
    "ERR_REPLY_LINE_TOO_LONG",
    `Reply line ${preview(text)} is longer than ${MAX_REPLY_LINE_BYTES} bytes including its ` +
      `line end.`,
    text,
  );
}

/** Quotes the start of a sanitized line for an error message. */
function preview(text: string): string {
  if (text.length <= MESSAGE_PREVIEW_CHARS) {
    return JSON.stringify(text);
  }
  return `${JSON.stringify(text.slice(0, MESSAGE_PREVIEW_CHARS))}...`;
}
