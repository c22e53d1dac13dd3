import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createStreamOnFile,
  FileStream,
  SHCreateStreamOnFile,
  STG_E_FILENOTFOUND,
  STG_E_INVALIDFUNCTION,
  STGM_READ,
} from "../../src/compat/com/file-stream.js";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { SMTP_CONNECTED, SMTP_SEND_MESSAGE, SMTP_SEND_STREAM } from "../../src/imnxport/enums.js";
import { E_INVALIDARG, E_UNEXPECTED, S_FALSE, S_OK } from "../../src/imnxport/hresults.js";
import {
  STATFLAG_DEFAULT,
  STATFLAG_NONAME,
  type STATSTG,
  STREAM_SEEK_CUR,
  STREAM_SEEK_END,
  STREAM_SEEK_SET,
} from "../../src/imnxport/objidl.js";
import { type RealServer, startRealServer } from "../support/real-server.js";
import { inetServer, smtpMessage } from "../support/scenario.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

let dir = "";
let server: RealServer | null = null;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "imnxport-file-stream-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await server?.close();
  server = null;
});

function tempFile(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Read up to `cb` bytes and return the HRESULT with the bytes read. */
function read(stream: FileStream, cb: number): { hr: number; text: string } {
  const buffer = Buffer.alloc(cb);
  const count = { value: -1 };
  const hr = stream.Read(buffer, cb, count);
  return { hr, text: buffer.subarray(0, count.value).toString("latin1") };
}

/** Build a body of about `size` bytes in CRLF lines of varying length, some starting with a dot. */
function messageBody(size: number): Buffer {
  const lines = ["Subject: large file", "", ".leading dot", ".."];
  let length = 0;
  for (let index = 0; length < size; index += 1) {
    const line = `${index % 7 === 0 ? "." : ""}line ${index} ${"abcdefghij".repeat(index % 9)}`;
    lines.push(line);
    length += line.length + 2;
  }
  return Buffer.from(`${lines.join("\r\n")}\r\n`, "latin1");
}

describe("FileStream", () => {
  it("reads from the current position", () => {
    const stream = new FileStream(tempFile("abc.txt", "abcdef"));

    expect(read(stream, 4)).toEqual({ hr: S_OK, text: "abcd" });
    expect(read(stream, 4)).toEqual({ hr: S_FALSE, text: "ef" });
    expect(read(stream, 4)).toEqual({ hr: S_FALSE, text: "" });
  });

  it("reads again after Seek past the end", () => {
    const stream = new FileStream(tempFile("seek.txt", "abcdef"));
    read(stream, 10);
    const position = { value: -1 };

    expect(stream.Seek(-2, STREAM_SEEK_END, position)).toBe(S_OK);
    expect(position.value).toBe(4);
    expect(read(stream, 10)).toEqual({ hr: S_FALSE, text: "ef" });
    expect(stream.Seek(1, STREAM_SEEK_SET, null)).toBe(S_OK);
    expect(stream.Seek(2, STREAM_SEEK_CUR, position)).toBe(S_OK);
    expect(position.value).toBe(3);
    expect(read(stream, 2)).toEqual({ hr: S_OK, text: "de" });
  });

  it("Seek before the start fails", () => {
    const stream = new FileStream(tempFile("before.txt", "abc"));

    expect(nameOf(stream.Seek(-1, STREAM_SEEK_SET, null))).toBe(nameOf(STG_E_INVALIDFUNCTION));
    expect(nameOf(stream.Seek(0, 7 as typeof STREAM_SEEK_SET, null))).toBe(
      nameOf(STG_E_INVALIDFUNCTION),
    );
  });

  it("Stat gives size and name", () => {
    const path = tempFile("stat.eml", "12345");
    const stream = new FileStream(path);
    const named: STATSTG = { cbSize: -1 };
    const unnamed: STATSTG = { cbSize: -1 };

    expect(stream.Stat(named, STATFLAG_DEFAULT)).toBe(S_OK);
    read(stream, 10);
    expect(stream.Stat(unnamed, STATFLAG_NONAME)).toBe(S_OK);

    expect(named).toEqual({ cbSize: 5, type: 2, pwcsName: "stat.eml" });
    expect(unnamed).toEqual({ cbSize: 5, type: 2, pwcsName: null });
  });

  it("reads more than 64 KiB per call", () => {
    const content = Buffer.alloc(200_000, 0x61);
    const stream = createStreamOnFile(tempFile("big.bin", content));

    const { hr, text } = read(stream, 150_000);

    expect(hr).toBe(S_OK);
    expect(text.length).toBe(150_000);
  });

  it("Close makes calls fail", () => {
    const stream = new FileStream(tempFile("closed.txt", "abc"));

    stream.Close();
    stream.Close();

    expect(nameOf(read(stream, 1).hr)).toBe(nameOf(E_UNEXPECTED));
    expect(nameOf(stream.Seek(0, STREAM_SEEK_SET, null))).toBe(nameOf(E_UNEXPECTED));
    expect(nameOf(stream.Stat({ cbSize: 0 }, STATFLAG_NONAME))).toBe(nameOf(E_UNEXPECTED));
  });

  it("missing file throws", () => {
    expect(() => createStreamOnFile(join(dir, "missing.eml"))).toThrow(/ENOENT/);
  });
});

describe("SHCreateStreamOnFile", () => {
  it("opens a file for reading", () => {
    const ppstm: { value: FileStream | null } = { value: null };

    const hr = SHCreateStreamOnFile(tempFile("sh.txt", "xyz"), STGM_READ, ppstm);

    expect(hr).toBe(S_OK);
    expect(ppstm.value).toBeInstanceOf(FileStream);
  });

  it("missing file returns STG_E_FILENOTFOUND", () => {
    const ppstm: { value: FileStream | null } = { value: null };

    const hr = SHCreateStreamOnFile(join(dir, "missing.eml"), STGM_READ, ppstm);

    expect(nameOf(hr)).toBe(nameOf(STG_E_FILENOTFOUND));
    expect(ppstm.value).toBeNull();
  });

  it("write mode returns E_INVALIDARG", () => {
    const ppstm: { value: FileStream | null } = { value: null };
    const STGM_WRITE = 0x1;

    const hr = SHCreateStreamOnFile(tempFile("w.txt", "x"), STGM_WRITE, ppstm);

    expect(nameOf(hr)).toBe(nameOf(E_INVALIDARG));
  });
});

describe("FileStream through SendMessage", () => {
  it("delivers a 3 MiB file byte for byte", async () => {
    server = await startRealServer({ saveDir: null, size: 0 });
    const body = messageBody(3 * 1024 * 1024);
    const stream = createStreamOnFile(tempFile("large.eml", body));
    const transport = createSMTPTransport();
    const recorder = new TraceRecorder(transport);
    recorder.onResponse = (response) => {
      if (response.fDone && response.command === SMTP_CONNECTED) {
        expect(transport.SendMessage(smtpMessage("a@example.com", ["b@example.org"], stream))).toBe(
          S_OK,
        );
      }
      if (response.command === SMTP_SEND_MESSAGE) {
        expect(transport.CommandQUIT()).toBe(S_OK);
      }
    };

    expect(transport.InitNew(null, recorder)).toBe(S_OK);
    expect(transport.Connect(inetServer(server.port), false, false)).toBe(S_OK);
    await recorder.disconnected();

    expect(recorder.errors).toEqual([]);
    const result = recorder.responses.find((r) => r.command === SMTP_SEND_MESSAGE);
    expect(nameOf(result?.rIxpResult.hrResult ?? -1)).toBe(nameOf(S_OK));
    const progress = recorder.responses.filter((r) => r.command === SMTP_SEND_STREAM);
    expect(progress.at(-1)?.rStreamInfo?.cbTotal).toBe(body.length);
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0]?.raw.length).toBe(body.length);
    expect(server.messages[0]?.raw.equals(body)).toBe(true);
  });
});
