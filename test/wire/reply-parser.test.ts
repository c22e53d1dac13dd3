import { describe, expect, it } from "vitest";
import { ProtocolError, type ProtocolErrorCode } from "../../src/compat/wire/errors.js";
import {
  MAX_REPLY_BYTES,
  MAX_REPLY_LINE_BYTES,
  MAX_REPLY_LINES,
  type ReplyLine,
  ReplyParser,
} from "../../src/compat/wire/reply-parser.js";

// Fixture builders: server bytes as latin1 strings, so "\xff" is one byte 0xFF.

function bytes(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/** Builds a one-line reply such as `220 mx.example ESMTP\r\n`. */
function singleLineReply(code: number, text: string, lineEnd = "\r\n"): string {
  return `${code} ${text}${lineEnd}`;
}

/** Builds a multi-line reply, such as an EHLO reply, where all lines but the last use `NNN-`. */
function multiLineReply(code: number, texts: readonly string[], lineEnd = "\r\n"): string {
  return texts
    .map((text, index) => `${code}${index === texts.length - 1 ? " " : "-"}${text}${lineEnd}`)
    .join("");
}

function line(code: number, isLast: boolean, text: string): ReplyLine {
  return { code, isLast, text };
}

// Chunkings of one input: whole, one byte at a time, and cut in two at every byte boundary.

function chunkings(input: Buffer): { name: string; chunks: Uint8Array[] }[] {
  const result = [
    { name: "whole", chunks: [input] },
    { name: "byte by byte", chunks: [...input].map((_, i) => input.subarray(i, i + 1)) },
  ];
  for (let split = 1; split < input.length; split++) {
    result.push({
      name: `split at ${split}`,
      chunks: [input.subarray(0, split), input.subarray(split)],
    });
  }
  return result;
}

/** Pushes each chunk and reads every complete line after each push, as a session does. */
function readAll(parser: ReplyParser, chunks: readonly Uint8Array[]): ReplyLine[] {
  const lines: ReplyLine[] = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    for (let next = parser.next(); next !== null; next = parser.next()) {
      lines.push(next);
    }
  }
  return lines;
}

function parse(chunks: readonly Uint8Array[]): ReplyLine[] {
  return readAll(new ReplyParser(), chunks);
}

/** Returns the ProtocolError that reading `chunks` raises; fails the test when none is raised. */
function parseError(chunks: readonly Uint8Array[]): ProtocolError {
  try {
    parse(chunks);
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error("expected a ProtocolError, but every line parsed");
}

const validReplies: { name: string; input: string; expected: ReplyLine[] }[] = [
  {
    name: "greeting",
    input: singleLineReply(220, "mx.example ESMTP"),
    expected: [line(220, true, "220 mx.example ESMTP")],
  },
  {
    name: "EHLO reply",
    input: multiLineReply(250, ["mx.example", "PIPELINING", "SIZE 10240000", "AUTH PLAIN LOGIN"]),
    expected: [
      line(250, false, "250-mx.example"),
      line(250, false, "250-PIPELINING"),
      line(250, false, "250-SIZE 10240000"),
      line(250, true, "250 AUTH PLAIN LOGIN"),
    ],
  },
  {
    name: "bare LF greeting",
    input: singleLineReply(220, "mx.example ESMTP", "\n"),
    expected: [line(220, true, "220 mx.example ESMTP")],
  },
  {
    name: "bare LF multi-line",
    input: multiLineReply(250, ["a", "b"], "\n"),
    expected: [line(250, false, "250-a"), line(250, true, "250 b")],
  },
  {
    name: "code without text",
    input: "220\r\n",
    expected: [line(220, true, "220")],
  },
  {
    name: "code and space without text",
    input: "220 \r\n",
    expected: [line(220, true, "220 ")],
  },
  {
    name: "empty continuation text",
    input: "250-\r\n250 \r\n",
    expected: [line(250, false, "250-"), line(250, true, "250 ")],
  },
  {
    name: "two replies in a row",
    input: `${singleLineReply(250, "2.1.0 Ok")}${singleLineReply(354, "End data with <CR><LF>.<CR><LF>")}`,
    expected: [
      line(250, true, "250 2.1.0 Ok"),
      line(354, true, "354 End data with <CR><LF>.<CR><LF>"),
    ],
  },
  {
    name: "TAB kept",
    input: "250 a\tb\r\n",
    expected: [line(250, true, "250 a\tb")],
  },
  {
    name: "UTF-8 text",
    input: "250 caf\xc3\xa9\r\n",
    expected: [line(250, true, "250 café")],
  },
  {
    name: "invalid UTF-8 replaced",
    input: "250 a\xffb\r\n",
    expected: [line(250, true, "250 a\ufffdb")],
  },
  {
    name: "control characters sanitized",
    input: "550 \x00\x1b[2J\x7f\xc2\x9b\r\n",
    expected: [line(550, true, "550 ??[2J??")],
  },
  {
    name: "lowest and highest codes",
    input: "200 a\r\n559 b\r\n",
    expected: [line(200, true, "200 a"), line(559, true, "559 b")],
  },
];

describe("ReplyParser valid replies", () => {
  for (const { name, input, expected } of validReplies) {
    it(`${name} under every chunking`, () => {
      for (const { name: chunking, chunks } of chunkings(bytes(input))) {
        expect(parse(chunks), chunking).toEqual(expected);
      }
    });
  }

  it("greeting in four TCP segments", () => {
    const segments = ["2", "20-mx", ".example ESMTP\r", "\n220 ready\r\n"].map(bytes);
    expect(parse(segments)).toEqual([
      line(220, false, "220-mx.example ESMTP"),
      line(220, true, "220 ready"),
    ]);
  });

  it("Uint8Array views with an offset", () => {
    const backing = new Uint8Array(bytes("xx250 ok\r\nyy"));
    const view = new Uint8Array(backing.buffer, 2, 8);
    expect(parse([view])).toEqual([line(250, true, "250 ok")]);
  });

  it("returns null until a line is complete", () => {
    const parser = new ReplyParser();
    parser.push(bytes("250 o"));
    expect(parser.next()).toBeNull();
    parser.push(bytes("k\r"));
    expect(parser.next()).toBeNull();
    parser.push(bytes("\n"));
    expect(parser.next()).toEqual(line(250, true, "250 ok"));
    expect(parser.next()).toBeNull();
  });
});

describe("ReplyParser protocol errors", () => {
  const invalidReplies: { name: string; input: string; code: ProtocolErrorCode }[] = [
    { name: "code glued to text", input: "220OK\r\n", code: "ERR_REPLY_MALFORMED" },
    { name: "letter in code", input: "22X OK\r\n", code: "ERR_REPLY_MALFORMED" },
    { name: "no code", input: "XXX This is an invalid response.\r\n", code: "ERR_REPLY_MALFORMED" },
    { name: "four digits", input: "2200 OK\r\n", code: "ERR_REPLY_MALFORMED" },
    { name: "two digits", input: "25 OK\r\n", code: "ERR_REPLY_MALFORMED" },
    { name: "first digit 6", input: "666 Mouhahahaha!!\r\n", code: "ERR_REPLY_MALFORMED" },
    { name: "699", input: "699 Obscure\r\n", code: "ERR_REPLY_MALFORMED" },
    { name: "first digit 1", input: "100 Invalid\r\n", code: "ERR_REPLY_MALFORMED" },
    { name: "second digit 6", input: "260 ok\r\n", code: "ERR_REPLY_MALFORMED" },
    { name: "empty line", input: "\r\n", code: "ERR_REPLY_MALFORMED" },
    {
      name: "mismatched final code",
      input: "250-First line\r\n340 And this is mismatched.\r\n",
      code: "ERR_REPLY_CODE_MISMATCH",
    },
    {
      name: "mismatched continuation code",
      input: "200-This is\r\n250 inconsistent.\r\n",
      code: "ERR_REPLY_CODE_MISMATCH",
    },
    { name: "stray CR in text", input: "400 This \r is wrong\r\n", code: "ERR_REPLY_STRAY_CR" },
    { name: "CR before CRLF", input: "250 ok\r\r\n", code: "ERR_REPLY_STRAY_CR" },
    { name: "CR ending a bare LF line", input: "250 a\r250 b\n", code: "ERR_REPLY_STRAY_CR" },
  ];

  for (const { name, input, code } of invalidReplies) {
    it(`${name} under every chunking`, () => {
      for (const { name: chunking, chunks } of chunkings(bytes(input))) {
        expect(parseError(chunks).code, chunking).toBe(code);
      }
    });
  }

  it("error carries the sanitized line", () => {
    const error = parseError([bytes("400 This \r is wrong\r\n")]);
    expect(error.line).toBe("400 This ? is wrong");
    expect(error.name).toBe("ProtocolError");
    expect(error.message).toContain('"400 This ? is wrong"');
  });

  it("malformed message names the line", () => {
    const error = parseError([bytes("22X OK\r\n")]);
    expect(error.line).toBe("22X OK");
    expect(error.message).toContain('"22X OK"');
  });

  it("mismatch message names both codes", () => {
    const error = parseError([bytes("250-First line\r\n340 And this is mismatched.\r\n")]);
    expect(error.line).toBe("340 And this is mismatched.");
    expect(error.message).toContain("340");
    expect(error.message).toContain("250");
  });

  it("lines before an error are returned", () => {
    const parser = new ReplyParser();
    parser.push(bytes("250 ok\r\n666 bad\r\n"));
    expect(parser.next()).toEqual(line(250, true, "250 ok"));
    expect(() => parser.next()).toThrow(ProtocolError);
  });

  it("error is sticky", () => {
    const parser = new ReplyParser();
    parser.push(bytes("666 bad\r\n"));
    let first: unknown;
    try {
      parser.next();
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(ProtocolError);

    parser.push(bytes("250 ok\r\n"));
    expect(() => parser.next()).toThrow(first as Error);
    expect(() => parser.next()).toThrow(first as Error);
    expect(parser.bufferedBytes).toBe(0);
  });

  it("reset clears the error", () => {
    const parser = new ReplyParser();
    parser.push(bytes("666 bad\r\n"));
    expect(() => parser.next()).toThrow(ProtocolError);

    parser.reset();
    parser.push(bytes("250 ok\r\n"));
    expect(parser.next()).toEqual(line(250, true, "250 ok"));
  });
});

describe("ReplyParser line length limit", () => {
  it("accepts 2048 bytes with CRLF", () => {
    const text = `250 ${"A".repeat(MAX_REPLY_LINE_BYTES - 6)}`;
    expect(parse([bytes(`${text}\r\n`)])).toEqual([line(250, true, text)]);
  });

  it("accepts 2048 bytes with bare LF", () => {
    const text = `250 ${"A".repeat(MAX_REPLY_LINE_BYTES - 5)}`;
    expect(parse([bytes(`${text}\n`)])).toEqual([line(250, true, text)]);
  });

  it("rejects 2049 bytes under every chunking", () => {
    const input = bytes(`250 ${"A".repeat(MAX_REPLY_LINE_BYTES - 5)}\r\n`);
    expect(input.length).toBe(MAX_REPLY_LINE_BYTES + 1);
    for (const { name, chunks } of chunkings(input)) {
      expect(parseError(chunks).code, name).toBe("ERR_REPLY_LINE_TOO_LONG");
    }
  });

  it("waits on a 2047-byte partial line", () => {
    const parser = new ReplyParser();
    parser.push(bytes(`250 ${"A".repeat(MAX_REPLY_LINE_BYTES - 5)}`));
    expect(parser.next()).toBeNull();
    expect(parser.bufferedBytes).toBe(MAX_REPLY_LINE_BYTES - 1);

    parser.push(bytes("\n"));
    expect(parser.next()?.text.length).toBe(MAX_REPLY_LINE_BYTES - 1);
  });

  it("rejects a 2048-byte partial line at once", () => {
    const parser = new ReplyParser();
    parser.push(bytes(`250 ${"A".repeat(MAX_REPLY_LINE_BYTES - 4)}`));
    expect(parser.bufferedBytes).toBe(0);
    expect(() => parser.next()).toThrow(ProtocolError);
  });

  it("100000 bytes without LF in one chunk", () => {
    const parser = new ReplyParser();
    parser.push(bytes(`250 ${"A".repeat(100_000)}`));
    expect(parser.bufferedBytes).toBe(0);

    const error = catchError(() => parser.next());
    expect(error.code).toBe("ERR_REPLY_LINE_TOO_LONG");
    expect(error.line).toBe(`250 ${"A".repeat(MAX_REPLY_LINE_BYTES - 4)}`);
    expect(error.message.length).toBeLessThan(200);
  });

  it("100000 bytes without LF in small chunks", () => {
    const input = bytes(`250 ${"A".repeat(100_000)}`);
    const parser = new ReplyParser();
    let raisedAt = -1;
    for (let offset = 0; offset < input.length; offset += 100) {
      parser.push(input.subarray(offset, offset + 100));
      expect(parser.bufferedBytes).toBeLessThan(MAX_REPLY_LINE_BYTES);
      try {
        parser.next();
      } catch (error) {
        expect((error as ProtocolError).code).toBe("ERR_REPLY_LINE_TOO_LONG");
        raisedAt = raisedAt === -1 ? offset + 100 : raisedAt;
      }
    }
    expect(raisedAt).toBe(2100);
  });

  it("100000 bytes one byte at a time", () => {
    const parser = new ReplyParser();
    const one = bytes("A");
    parser.push(bytes("250 "));
    let pushed = 4;
    while (pushed < 100_004) {
      parser.push(one);
      pushed += 1;
      if (parser.bufferedBytes === 0) {
        break;
      }
    }
    expect(pushed).toBe(MAX_REPLY_LINE_BYTES);
    expect(() => parser.next()).toThrow(ProtocolError);
  });

  it("returns earlier lines before the too-long error", () => {
    const parser = new ReplyParser();
    parser.push(bytes(`250-ok\r\n250 ${"A".repeat(5000)}`));
    expect(parser.bufferedBytes).toBe(8);
    expect(parser.next()).toEqual(line(250, false, "250-ok"));
    expect(catchError(() => parser.next()).code).toBe("ERR_REPLY_LINE_TOO_LONG");
  });
});

describe("ReplyParser reply size limit", () => {
  it("accepts 256 lines", () => {
    const texts = Array.from({ length: MAX_REPLY_LINES }, (_, i) => `line ${i}`);
    const lines = parse([bytes(multiLineReply(250, texts))]);
    expect(lines).toHaveLength(MAX_REPLY_LINES);
    expect(lines.at(-1)?.isLast).toBe(true);
  });

  it("rejects a 257th line", () => {
    const texts = Array.from({ length: MAX_REPLY_LINES + 1 }, (_, i) => `line ${i}`);
    expect(parseError([bytes(multiLineReply(250, texts))]).code).toBe("ERR_REPLY_TOO_LARGE");
  });

  it("limit counts per reply", () => {
    const reply = multiLineReply(
      250,
      Array.from({ length: 200 }, (_, i) => `line ${i}`),
    );
    expect(parse([bytes(reply + reply)])).toHaveLength(400);
  });

  it("accepts exactly 64 KiB", () => {
    // 32 lines of 2048 bytes each, CRLF included.
    const texts = Array.from({ length: 32 }, () => "A".repeat(MAX_REPLY_LINE_BYTES - 6));
    const input = bytes(multiLineReply(250, texts));
    expect(input.length).toBe(MAX_REPLY_BYTES);
    expect(parse([input])).toHaveLength(32);
  });

  it("rejects a final line past 64 KiB", () => {
    // 32 continuation lines of 2048 bytes fill 64 KiB, so the 7-byte final line exceeds it.
    const texts = Array.from({ length: 32 }, () => "A".repeat(MAX_REPLY_LINE_BYTES - 6));
    const parser = new ReplyParser();
    parser.push(bytes(multiLineReply(250, [...texts, "x"])));
    for (let i = 0; i < 32; i++) {
      expect(parser.next()?.isLast).toBe(false);
    }
    expect(catchError(() => parser.next()).code).toBe("ERR_REPLY_TOO_LARGE");
  });

  it("million continuation lines stop at 257", () => {
    // 1000 lines of "250-x\r\n" per chunk; the parser must fail long before the millionth.
    const chunk = bytes("250-x\r\n".repeat(1000));
    const parser = new ReplyParser();
    let linesRead = 0;
    let error: ProtocolError | null = null;
    for (let pushed = 0; pushed < 1000 && error === null; pushed++) {
      parser.push(chunk);
      try {
        while (parser.next() !== null) {
          linesRead += 1;
        }
      } catch (caught) {
        error = caught as ProtocolError;
      }
    }
    expect(error?.code).toBe("ERR_REPLY_TOO_LARGE");
    expect(linesRead).toBe(MAX_REPLY_LINES);
    expect(parser.bufferedBytes).toBe(0);
  });
});

describe("ReplyParser state queries", () => {
  it("hasPartialReply follows a multi-line reply", () => {
    const parser = new ReplyParser();
    expect(parser.hasPartialReply).toBe(false);

    parser.push(bytes("25"));
    expect(parser.next()).toBeNull();
    expect(parser.hasPartialReply).toBe(true);

    parser.push(bytes("0-mx\r\n"));
    expect(parser.next()?.isLast).toBe(false);
    expect(parser.hasPartialReply).toBe(true);

    parser.push(bytes("250 PIPELINING\r\n"));
    expect(parser.next()?.isLast).toBe(true);
    expect(parser.hasPartialReply).toBe(false);
  });

  it("hasPartialReply with an unread line", () => {
    const parser = new ReplyParser();
    parser.push(bytes("250 ok\r\n"));
    expect(parser.hasPartialReply).toBe(true);
    parser.next();
    expect(parser.hasPartialReply).toBe(false);
  });

  it("discardBuffered after STARTTLS 220", () => {
    const parser = new ReplyParser();
    parser.push(bytes("220 Ready\r\n250-AUTH LOGIN\r\n"));
    expect(parser.next()).toEqual(line(220, true, "220 Ready"));

    expect(parser.discardBuffered()).toBe("250-AUTH LOGIN\r\n".length);
    expect(parser.next()).toBeNull();
    expect(parser.hasPartialReply).toBe(false);

    parser.push(bytes("250-mx.example\r\n250 AUTH PLAIN\r\n"));
    expect(parser.next()).toEqual(line(250, false, "250-mx.example"));
    expect(parser.next()).toEqual(line(250, true, "250 AUTH PLAIN"));
  });

  it("discardBuffered drops a fragment without CRLF", () => {
    const parser = new ReplyParser();
    parser.push(bytes("220 ok\r\n250-AUTH"));
    expect(parser.next()).toEqual(line(220, true, "220 ok"));
    expect(parser.discardBuffered()).toBe(8);

    parser.push(bytes("250 AUTH PLAIN\r\n"));
    expect(parser.next()).toEqual(line(250, true, "250 AUTH PLAIN"));
  });

  it("discardBuffered keeps a too-long error", () => {
    const parser = new ReplyParser();
    parser.push(bytes(`220 ok\r\n${"A".repeat(3000)}`));
    expect(parser.next()?.code).toBe(220);
    expect(parser.discardBuffered()).toBe(3000);
    expect(catchError(() => parser.next()).code).toBe("ERR_REPLY_LINE_TOO_LONG");
  });
});

function catchError(action: () => unknown): ProtocolError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error("expected a ProtocolError");
}
