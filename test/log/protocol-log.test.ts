import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ProtocolLog } from "../../src/compat/log/protocol-log.js";
import { createSMTPTransport, type TransportOptions } from "../../src/compat/transport.js";
import { SMTP_CONNECTED, SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import { S_OK } from "../../src/imnxport/hresults.js";
import { GOLDEN_DIR } from "../support/golden.js";
import { CLIENT_NAME, inetServer, settle, smtpMessage } from "../support/scenario.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

let dir = "";
let server: ScriptedServer | null = null;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "imnxport-log-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = null;
});

/**
 * Connect with the log file `logPath`, send one message from inside SMTP_CONNECTED, QUIT from
 * inside SMTP_SEND_MESSAGE, and resolve once IXP_DISCONNECTED has been reported.
 */
async function runLoggedSession(
  logPath: string,
  options: TransportOptions = {},
  sessions = 1,
): Promise<TraceRecorder> {
  server ??= await startScriptedServer({});
  const port = server.port;
  const transport = createSMTPTransport({ clientName: CLIENT_NAME, ...options });
  const recorder = new TraceRecorder(transport);
  recorder.onResponse = (response) => {
    if (response.fDone && response.command === SMTP_CONNECTED) {
      const message = smtpMessage("a@x.test", ["b@y.test"], "Subject: hi\r\n\r\nBody line\r\n");
      transport.SendMessage(message);
    }
    if (response.command === SMTP_SEND_MESSAGE) {
      transport.CommandQUIT();
    }
  };

  expect(transport.InitNew(logPath, recorder)).toBe(S_OK);
  for (let session = 1; session <= sessions; session += 1) {
    // Command logging is off: the log file is written all the same.
    const flags = { dwFlags: 0x08 };
    expect(nameOf(transport.Connect(inetServer(port, flags), false, false))).toBe(nameOf(S_OK));
    await recorder.disconnected(session);
    await settle();
  }
  return recorder;
}

/** Replace the date and times of a log with placeholders. */
function normalizeTimes(text: string): string {
  return text
    .replace(/\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d/g, "MM/DD/YYYY HH:MM:SS")
    .replace(/^SMTP: \d\d:\d\d:\d\d /gm, "SMTP: HH:MM:SS ");
}

/** Compare with test/golden/<name>, or write it when UPDATE_GOLDEN=1. */
function expectGoldenLines(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }

  if (!existsSync(file)) {
    throw new Error(`Golden file ${file} is missing; run the tests with UPDATE_GOLDEN=1`);
  }
  expect(actual.split("\n")).toEqual(readFileSync(file, "utf8").split("\n"));
}

describe("protocol log file", () => {
  it("full session golden", async () => {
    const logPath = join(dir, "session.log");

    const recorder = await runLoggedSession(logPath);

    expect(recorder.errors).toEqual([]);
    const text = readFileSync(logPath, "utf8");
    expect(text.endsWith("\r\n")).toBe(true);
    expectGoldenLines("log-session.log", normalizeTimes(text.replaceAll("\r\n", "\n")));
  });

  it("body is not logged", async () => {
    const logPath = join(dir, "body.log");

    await runLoggedSession(logPath);

    const text = readFileSync(logPath, "utf8");
    expect(text).not.toContain("Body line");
    expect(text).not.toContain("Subject: hi");
  });

  it("injected clock stamps lines", async () => {
    const logPath = join(dir, "clock.log");
    const clock = () => new Date(2026, 0, 2, 3, 4, 5);

    await runLoggedSession(logPath, { clock });

    const lines = readFileSync(logPath, "utf8").split("\r\n");
    expect(lines[0]).toBe("imnxport SMTP Log started at 01/02/2026 03:04:05");
    expect(lines[1]).toBe("SMTP: 03:04:05 [rx] 220 mail.test ESMTP ready");
    expect(lines[2]).toBe(`SMTP: 03:04:05 [tx] EHLO ${CLIENT_NAME}`);
  });

  it("each Connect appends a header", async () => {
    const logPath = join(dir, "append.log");
    writeFileSync(logPath, "earlier content\r\n");

    await runLoggedSession(logPath, {}, 2);

    const lines = readFileSync(logPath, "utf8").split("\r\n");
    expect(lines[0]).toBe("earlier content");
    expect(lines.filter((line) => line.includes("SMTP Log started at"))).toHaveLength(2);
    expect(lines.filter((line) => line.endsWith("[tx] QUIT"))).toHaveLength(2);
  });

  it("unwritable path warns once", async () => {
    const logPath = join(dir, "a-directory");
    mkdirSync(logPath);
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);

    const recorder = await runLoggedSession(logPath, {}, 2);

    expect(recorder.errors).toEqual([]);
    const result = recorder.responses.filter((r) => r.command === SMTP_SEND_MESSAGE);
    expect(result.map((r) => nameOf(r.rIxpResult.hrResult))).toEqual([nameOf(S_OK), nameOf(S_OK)]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain(logPath);
    expect(warn.mock.calls[0]?.[1]).toEqual({ code: "IMNXPORT_LOG_WRITE_FAILED" });
  });
});

describe("ProtocolLog", () => {
  it("escapes line breaks inside a line", () => {
    const logPath = join(dir, "escape.log");
    const log = new ProtocolLog(logPath, () => new Date(2026, 11, 31, 23, 59, 58));

    log.start();
    log.sent("AUTH PLAIN ****\r\n");
    log.received("500 bad\rline");
    log.close();
    log.sent("dropped after close\r\n");

    expect(readFileSync(logPath, "utf8").split("\r\n")).toEqual([
      "imnxport SMTP Log started at 12/31/2026 23:59:58",
      "SMTP: 23:59:58 [tx] AUTH PLAIN ****",
      "SMTP: 23:59:58 [rx] 500 bad\\rline",
      "",
    ]);
  });
});
