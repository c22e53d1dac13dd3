import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataEncoder, encodeAll, NulByteError } from "../../src/compat/data/data-encoder.js";
import { cutAt, cutPoints, NUM_RUNS, PROPERTY_TIMEOUT_MS } from "./runs.js";

/**
 * Pieces of message bodies that test the transparency rules: every line end form, dots at line
 * starts, smuggling terminators, 8-bit bytes, and random bytes without NUL.
 */
const piece = fc.oneof(
  fc.constantFrom("\r", "\n", "\r\n", ".", "..", ".\r\n", "\r\n.\r\n", "\n.\n", "\r.\r", "\n.\r\n"),
  fc.constantFrom("a", "b", " ", "\t", "\xe9", "\xff", "MAIL FROM:<x@y>"),
  fc
    .uint8Array({ maxLength: 16 })
    .map((bytes) => Buffer.from(bytes.filter((byte) => byte !== 0)).toString("latin1")),
);

const body = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(""));

const DATA_LINE_END = "\r\n";
const TERMINATOR = ".\r\n";

/** Encodes `chunks` one after the other, then finishes the message. */
function encodeChunks(chunks: readonly Buffer[]): { output: string; bytesIn: number } {
  const encoder = new DataEncoder();
  const parts = chunks.map((chunk) => encoder.encode(chunk));
  parts.push(encoder.finish());
  return { output: Buffer.concat(parts).toString("latin1"), bytesIn: encoder.bytesIn };
}

/** Turns every CRLF, bare CR and bare LF into CRLF, and ends a non-empty body with CRLF. */
function normalize(text: string): string {
  const normalized = text.replace(/\r\n|\r|\n/g, "\r\n");
  return normalized === "" || normalized.endsWith("\r\n") ? normalized : `${normalized}\r\n`;
}

/** Removes one leading dot from each line, as the receiving server does (RFC 5321 §4.5.2). */
function unstuff(encoded: string): string {
  return encoded
    .split("\r\n")
    .map((line) => (line.startsWith(".") ? line.slice(1) : line))
    .join("\r\n");
}

function countOf(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    count += 1;
  }
  return count;
}

describe("DataEncoder properties", () => {
  it("output keeps DATA transparent", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(body, cutPoints, (text, cuts) => {
        const input = Buffer.from(text, "latin1");
        const { output, bytesIn } = encodeChunks(cutAt(input, cuts));
        // The server reads the CRLF that ends the DATA command, the output, then ".CRLF".
        const sent = `${DATA_LINE_END}${output}${TERMINATOR}`;

        expect(output).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
        expect(countOf(sent, "\r\n.\r\n")).toBe(1);
        expect(sent.endsWith("\r\n.\r\n")).toBe(true);
        expect(unstuff(output)).toBe(normalize(text));
        expect(output).toBe(encodeAll(input).toString("latin1"));
        expect(bytesIn).toBe(input.length);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("NUL anywhere throws at its offset", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(body, body, cutPoints, (before, after, cuts) => {
        const input = Buffer.from(`${before}\0${after}`, "latin1");
        const encoder = new DataEncoder();
        let thrown: unknown = null;
        try {
          for (const chunk of cutAt(input, cuts)) {
            encoder.encode(chunk);
          }
          encoder.finish();
        } catch (error) {
          thrown = error;
        }

        expect(thrown).toBeInstanceOf(NulByteError);
        expect((thrown as NulByteError).offset).toBe(before.length);
        expect(() => encoder.finish()).toThrow(NulByteError);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
