import { describe, expect, it } from "vitest";
import { DataEncoder, encodeAll, NulByteError } from "../../src/compat/data/data-encoder.js";

const TERMINATOR = ".\r\n";

function bytes(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/** Encodes `chunks` one after the other and returns everything the encoder produced. */
function encodeChunks(chunks: readonly Uint8Array[]): Buffer {
  const encoder = new DataEncoder();
  const parts = chunks.map((chunk) => encoder.encode(chunk));
  parts.push(encoder.finish());
  return Buffer.concat(parts);
}

/** Builds what reaches the socket after the 354 reply: the encoded body, then the end-of-data line. */
function wire(body: string): string {
  return encodeAll(bytes(body)).toString("latin1") + TERMINATOR;
}

/** Lists every way to cut `input` in two, plus one byte at a time. */
function chunkings(input: Buffer): Uint8Array[][] {
  const result: Uint8Array[][] = [[...input].map((_, i) => input.subarray(i, i + 1))];
  for (let split = 0; split <= input.length; split++) {
    result.push([input.subarray(0, split), input.subarray(split)]);
  }
  return result;
}

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    count += 1;
  }
  return count;
}

/** True when every CR is followed by LF and every LF follows a CR. */
function hasOnlyCrlfLineEnds(text: string): boolean {
  return !/\r(?!\n)|(?<!\r)\n/.test(text);
}

describe("DataEncoder smuggling vectors", () => {
  it("smuggled commands stay inside the body", () => {
    const body = "Hi\n.\nMAIL FROM:<ceo@bank.example>\nRCPT TO:<v@x>\nDATA\nspoof\n.\n";
    const sent = wire(body);
    expect(sent).toBe(
      "Hi\r\n..\r\nMAIL FROM:<ceo@bank.example>\r\nRCPT TO:<v@x>\r\nDATA\r\nspoof\r\n..\r\n.\r\n",
    );
    expect(countOccurrences(sent, "\r\n.\r\n")).toBe(1);
    expect(sent.endsWith("\r\n.\r\n")).toBe(true);
  });

  it("LF dot CRLF", () => {
    expect(encodeAll(bytes("x\n.\r\ny")).toString("latin1")).toBe("x\r\n..\r\ny\r\n");
  });

  const terminatorVariants: [name: string, input: string, expected: string][] = [
    ["CR dot CR", "a\r.\rb", "a\r\n..\r\nb\r\n"],
    ["CRLF dot CR", "a\r\n.\rb", "a\r\n..\r\nb\r\n"],
    ["CR dot CRLF", "a\r.\r\nb", "a\r\n..\r\nb\r\n"],
    ["CRLF dot LF", "a\r\n.\nb", "a\r\n..\r\nb\r\n"],
    ["LF dot CR", "a\n.\rb", "a\r\n..\r\nb\r\n"],
    ["CR dot LF", "a\r.\nb", "a\r\n..\r\nb\r\n"],
    ["LF dot LF", "a\n.\nb", "a\r\n..\r\nb\r\n"],
    ["CR CR LF", "a\r\r\nb", "a\r\n\r\nb\r\n"],
  ];

  for (const [name, input, expected] of terminatorVariants) {
    it(`${name} under every chunking`, () => {
      for (const chunks of chunkings(bytes(input))) {
        const output = encodeChunks(chunks).toString("latin1");
        expect(output).toBe(expected);
        expect(hasOnlyCrlfLineEnds(output)).toBe(true);
      }
    });
  }

  it("NUL before a dot line", () => {
    const encoder = new DataEncoder();
    expect(() => encoder.encode(bytes("\r\n\0.\r\n"))).toThrow(NulByteError);
  });

  it("first line starting with a dot", () => {
    expect(encodeAll(bytes(".")).toString("latin1")).toBe("..\r\n");
    expect(encodeAll(bytes(".hidden")).toString("latin1")).toBe("..hidden\r\n");
    expect(encodeAll(bytes(".\r\n")).toString("latin1")).toBe("..\r\n");
  });

  it("CRLF dot CRLF mid-body", () => {
    expect(encodeAll(bytes("a\r\n.\r\nb\r\n")).toString("latin1")).toBe("a\r\n..\r\nb\r\n");
  });

  it("body without a final line end", () => {
    expect(wire("no trailing newline")).toBe("no trailing newline\r\n.\r\n");
  });

  it("body ending in a lone CR", () => {
    for (const chunks of chunkings(bytes("abc\r"))) {
      expect(encodeChunks(chunks).toString("latin1") + TERMINATOR).toBe("abc\r\n.\r\n");
    }
  });
});

describe("DataEncoder line ends and dots", () => {
  it("empty body gives nothing", () => {
    expect(encodeAll(Buffer.alloc(0))).toHaveLength(0);
    const encoder = new DataEncoder();
    expect(encoder.encode(new Uint8Array(0))).toHaveLength(0);
    expect(encoder.finish()).toHaveLength(0);
  });

  it("CRLF body passes unchanged", () => {
    const body = "Subject: hi\r\n\r\nline 1\r\nline 2\r\n";
    expect(encodeAll(bytes(body)).toString("latin1")).toBe(body);
  });

  it("dots inside a line stay single", () => {
    expect(encodeAll(bytes("a.b\r\n x.\r\n")).toString("latin1")).toBe("a.b\r\n x.\r\n");
  });

  it("only the first dot is doubled", () => {
    expect(encodeAll(bytes("...\n")).toString("latin1")).toBe("....\r\n");
  });

  it("dot after a chunk boundary at line start", () => {
    const encoder = new DataEncoder();
    expect(encoder.encode(bytes("a\r\n")).toString("latin1")).toBe("a\r\n");
    expect(encoder.encode(bytes(".b")).toString("latin1")).toBe("..b");
    expect(encoder.finish().toString("latin1")).toBe("\r\n");
  });

  it("CR held back until the next chunk", () => {
    const encoder = new DataEncoder();
    expect(encoder.encode(bytes("a\r")).toString("latin1")).toBe("a");
    expect(encoder.encode(bytes("\n.b")).toString("latin1")).toBe("\r\n..b");
  });

  it("held-back CR survives an empty chunk", () => {
    const encoder = new DataEncoder();
    encoder.encode(bytes("a\r"));
    expect(encoder.encode(new Uint8Array(0))).toHaveLength(0);
    expect(encoder.encode(bytes("\nb")).toString("latin1")).toBe("\r\nb");
  });

  it("output does not alias the input", () => {
    const input = bytes("hello\r\n");
    const output = new DataEncoder().encode(input);
    input.fill(0x78);
    expect(output.toString("latin1")).toBe("hello\r\n");
  });

  it("counts input bytes", () => {
    const encoder = new DataEncoder();
    encoder.encode(bytes("a\nb"));
    encoder.encode(bytes(".\r"));
    expect(encoder.bytesIn).toBe(5);
  });

  it("rejects use after finish", () => {
    const encoder = new DataEncoder();
    encoder.finish();
    expect(() => encoder.encode(bytes("a"))).toThrow(/already finished/);
    expect(() => encoder.finish()).toThrow(/already finished/);
  });
});

describe("DataEncoder NUL bytes", () => {
  it("offset counts from the message start", () => {
    const encoder = new DataEncoder();
    encoder.encode(bytes("0123456789"));
    let caught: unknown;
    try {
      encoder.encode(bytes("abc\0def"));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NulByteError);
    expect((caught as NulByteError).offset).toBe(13);
    expect((caught as NulByteError).message).toBe("NUL byte in message at offset 13");
  });

  it("NUL as the first byte", () => {
    expect(() => encodeAll(bytes("\0"))).toThrow(
      expect.objectContaining({ name: "NulByteError", offset: 0 }),
    );
  });

  it("encoder stays failed", () => {
    const encoder = new DataEncoder();
    expect(() => encoder.encode(bytes("a\0"))).toThrow(NulByteError);
    expect(() => encoder.encode(bytes("b"))).toThrow(NulByteError);
    expect(() => encoder.finish()).toThrow(NulByteError);
  });
});

describe("DataEncoder randomized", () => {
  /** mulberry32: a small seeded PRNG, so a failure can be replayed from its seed. */
  function createRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Bytes that exercise the rules: line ends, dots, and ordinary text. */
  const ALPHABET = ["\r", "\n", ".", ".", "a", "b", " ", "\r\n", "\xe9"];

  function randomBody(random: () => number): string {
    const length = Math.floor(random() * 60);
    let body = "";
    for (let i = 0; i < length; i++) {
      body += ALPHABET[Math.floor(random() * ALPHABET.length)];
    }
    return body;
  }

  function randomChunks(input: Buffer, random: () => number): Uint8Array[] {
    const chunks: Uint8Array[] = [];
    let offset = 0;
    while (offset < input.length) {
      const size = 1 + Math.floor(random() * 8);
      chunks.push(input.subarray(offset, offset + size));
      offset += size;
    }
    return chunks;
  }

  /** Turns every CR, LF and CRLF of `body` into CRLF and adds a final CRLF if missing. */
  function normalize(body: string): string {
    const normalized = body.replace(/\r\n|\r|\n/g, "\r\n");
    return normalized === "" || normalized.endsWith("\r\n") ? normalized : `${normalized}\r\n`;
  }

  /** Removes one leading dot from each line, as the receiving server does. */
  function unstuff(encoded: string): string {
    return encoded
      .split("\r\n")
      .map((line) => (line.startsWith(".") ? line.slice(1) : line))
      .join("\r\n");
  }

  it("keeps the transparency invariants", () => {
    const seed = 0x5eed;
    const random = createRandom(seed);
    for (let iteration = 0; iteration < 5000; iteration++) {
      const body = randomBody(random);
      const context = `seed ${seed} iteration ${iteration} body ${JSON.stringify(body)}`;
      const input = bytes(body);
      const encoder = new DataEncoder();
      const parts = randomChunks(input, random).map((chunk) => encoder.encode(chunk));
      parts.push(encoder.finish());
      const output = Buffer.concat(parts).toString("latin1");

      expect(encoder.bytesIn, context).toBe(input.length);
      expect(hasOnlyCrlfLineEnds(output), context).toBe(true);
      expect(output === "" || output.endsWith("\r\n"), context).toBe(true);

      // The DATA command line ends with CRLF, so the server reads CRLF, the body, then ".CRLF".
      const sent = `\r\n${output}${TERMINATOR}`;
      expect(sent.indexOf("\r\n.\r\n"), context).toBe(sent.length - 5);

      expect(unstuff(output), context).toBe(normalize(body));
      expect(output, context).toBe(encodeAll(input).toString("latin1"));
    }
  });
});
