import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError, type ProtocolErrorCode } from "../../src/compat/wire/errors.js";
import { type ReplyLine, ReplyParser } from "../../src/compat/wire/reply-parser.js";
import { cutAt, cutPoints, NUM_RUNS, PROPERTY_TIMEOUT_MS } from "./runs.js";

const ERROR_CODES: ReadonlySet<ProtocolErrorCode> = new Set([
  "ERR_REPLY_LINE_TOO_LONG",
  "ERR_REPLY_TOO_LARGE",
  "ERR_REPLY_MALFORMED",
  "ERR_REPLY_CODE_MISMATCH",
  "ERR_REPLY_STRAY_CR",
]);

// Control characters that a ReplyLine's text must never contain: all but TAB.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to find control characters.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

/**
 * Pieces that servers, broken or hostile, put in replies: codes in and out of range, the three
 * separators, every kind of line end, control bytes, invalid UTF-8, an over-long line and a
 * reply of too many lines. Random bytes fill the gaps.
 */
const piece = fc.oneof(
  fc.constantFrom("250", "220", "354", "421", "550", "559", "199", "600", "260", "25", "2500"),
  fc.constantFrom(" ", "-", "\r\n", "\n", "\r", "\t", "\0", "\x1b", "\x7f", "\x85", "\xff"),
  fc.constantFrom("250-mail.test\r\n", "250 OK\r\n", "250-x\r\n", "550 no\r\n", "220 ready\n"),
  fc.string({ maxLength: 12 }),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
  fc.constant(`250 ${"A".repeat(2100)}`),
  fc.constant("250-x\r\n".repeat(260)),
);

/** Server bytes built from pieces; strings are taken as latin1, one byte per character. */
const serverBytes = fc
  .array(piece, { maxLength: 24 })
  .map((pieces) => Buffer.from(pieces.join(""), "latin1"));

/** What the parser made of a byte stream: its lines in order, then the error that ended it. */
interface ParseOutcome {
  lines: ReplyLine[];
  error: { code: ProtocolErrorCode; message: string; line: string | null } | null;
}

const REPLY_CODE = /^[2-5][0-5][0-9]$/;

/**
 * Throws unless `line` is a well-formed ReplyLine. Plain checks rather than expect(), because
 * this runs for every line of every run.
 */
function checkLine(line: ReplyLine): void {
  const code = String(line.code);
  const isLast = line.text.length === 3 || line.text[3] === " ";
  if (
    !REPLY_CODE.test(code) ||
    !line.text.startsWith(code) ||
    CONTROL_CHARACTER.test(line.text) ||
    line.isLast !== isLast
  ) {
    throw new Error(`Malformed ReplyLine ${JSON.stringify(line)}`);
  }
}

/** Throws unless `error` is a ProtocolError with a documented code that `parser` repeats. */
function checkError(error: unknown, parser: ReplyParser): ProtocolError {
  if (!(error instanceof ProtocolError) || !ERROR_CODES.has(error.code)) {
    throw new Error(`ReplyParser threw something other than a ProtocolError: ${String(error)}`);
  }

  try {
    parser.next();
  } catch (again) {
    if (again === error) {
      return error;
    }
  }
  throw new Error(`ReplyParser did not repeat ${error.code} on the next call`);
}

/**
 * Pushes each chunk and reads every complete line after it, as the session does. Anything the
 * parser throws other than a ProtocolError fails the property, and so does a loop that returns
 * more lines than there are bytes.
 */
function parse(chunks: readonly Buffer[]): ParseOutcome {
  const parser = new ReplyParser();
  const lines: ReplyLine[] = [];
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);

  for (const chunk of chunks) {
    parser.push(chunk);
    for (;;) {
      let line: ReplyLine | null;
      try {
        line = parser.next();
      } catch (thrown) {
        const error = checkError(thrown, parser);
        return { lines, error: { code: error.code, message: error.message, line: error.line } };
      }

      if (line === null) {
        break;
      }

      checkLine(line);
      lines.push(line);
      if (lines.length > total) {
        throw new Error(`ReplyParser returned more lines than the ${total} bytes pushed`);
      }
    }
  }

  return { lines, error: null };
}

describe("ReplyParser properties", () => {
  it("any split gives the same outcome", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(serverBytes, cutPoints, (bytes, cuts) => {
        const whole = parse([bytes]);
        const split = parse(cutAt(bytes, cuts));

        expect(split).toEqual(whole);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("byte at a time gives the same outcome", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      // The first 2400 bytes still reach the line and line-count limits, and keep 10,000 runs
      // fast.
      fc.property(serverBytes, (stream) => {
        const bytes = stream.subarray(0, 2400);
        const single = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));

        expect(parse(single)).toEqual(parse([bytes]));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("well-formed replies parse back", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    const text = fc.stringMatching(/^[ -~]{0,40}$/);
    const reply = fc.record({
      code: fc.integer({ min: 200, max: 559 }).filter((code) => code % 100 < 60),
      texts: fc.array(text, { minLength: 1, maxLength: 5 }),
      lineEnd: fc.constantFrom("\r\n", "\n"),
    });

    fc.assert(
      fc.property(fc.array(reply, { maxLength: 5 }), cutPoints, (replies, cuts) => {
        const wire = replies
          .flatMap(({ code, texts, lineEnd }) =>
            texts.map((t, i) => `${code}${i === texts.length - 1 ? " " : "-"}${t}${lineEnd}`),
          )
          .join("");
        const expected = replies.flatMap(({ code, texts }) =>
          texts.map((t, i) => ({
            code,
            isLast: i === texts.length - 1,
            text: `${code}${i === texts.length - 1 ? " " : "-"}${t}`,
          })),
        );

        expect(parse(cutAt(Buffer.from(wire, "latin1"), cuts))).toEqual({
          lines: expected,
          error: null,
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
