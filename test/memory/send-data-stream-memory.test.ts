import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import {
  SMTP_CONNECTED,
  SMTP_DATA,
  SMTP_DOT,
  SMTP_MAIL,
  SMTP_RCPT,
} from "../../src/imnxport/enums.js";
import { type HRESULT, S_FALSE, S_OK } from "../../src/imnxport/hresults.js";
import type { IStream, STATSTG } from "../../src/imnxport/objidl.js";
import { inetServer } from "../support/scenario.js";
import { TraceRecorder } from "../support/trace.js";

const MESSAGE_BYTES = 100 * 1024 * 1024;
const MIB = 1024 * 1024;

/** An IStream that makes its bytes on Read: 100 MiB of text lines, never held in memory. */
class GeneratedStream implements IStream {
  #position = 0;
  readonly #line = Buffer.from(`${"x".repeat(76)}\r\n`);

  constructor(readonly size: number) {}

  Read(pv: Uint8Array, cb: number, pcbRead: { value: number } | null): HRESULT {
    const count = Math.min(cb, this.size - this.#position);
    for (let offset = 0; offset < count; offset += 1) {
      pv[offset] = this.#line[(this.#position + offset) % this.#line.length] ?? 0x78;
    }
    this.#position += count;
    if (pcbRead !== null) {
      pcbRead.value = count;
    }
    return count < cb ? S_FALSE : S_OK;
  }

  Seek(): HRESULT {
    return S_OK;
  }

  Stat(pstatstg: STATSTG): HRESULT {
    pstatstg.cbSize = this.size;
    return S_OK;
  }
}

/**
 * A loopback SMTP server that discards message data, run in a child process so that the bytes
 * it receives do not count against this process's memory. It counts the body bytes and finds
 * the CRLF.CRLF terminator across chunks, and prints its port, then the body size at QUIT.
 */
const DISCARD_SERVER = `
const net = require("node:net");
const server = net.createServer((socket) => {
  let inData = false;
  let tail = "";
  let bodyBytes = 0;
  socket.write("220 discard.test ESMTP\\r\\n");
  socket.on("data", (chunk) => {
    if (inData) {
      bodyBytes += chunk.length;
      const window = tail + chunk.subarray(Math.max(0, chunk.length - 5)).toString("latin1");
      tail = window.slice(-5);
      if (window.endsWith("\\r\\n.\\r\\n")) {
        inData = false;
        socket.write("250 2.0.0 discarded\\r\\n");
      }
      return;
    }
    for (const line of chunk.toString("latin1").split("\\r\\n").filter((text) => text !== "")) {
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === "DATA") {
        inData = true;
        tail = "\\r\\n";
        socket.write("354 go ahead\\r\\n");
      } else if (verb === "QUIT") {
        process.stdout.write("body " + bodyBytes + "\\n");
        socket.end("221 bye\\r\\n");
        server.close();
      } else {
        socket.write("250 ok\\r\\n");
      }
    }
  });
  socket.on("error", () => {});
});
server.listen(0, "127.0.0.1", () => process.stdout.write("port " + server.address().port + "\\n"));
setTimeout(() => process.exit(1), 110000).unref();
`;

interface DiscardServer {
  port: number;
  /** Resolves with the body size the server counted, once it has answered QUIT. */
  bodyBytes: Promise<number>;
  child: ChildProcess;
}

function startDiscardServer(): Promise<DiscardServer> {
  const child = spawn(process.execPath, ["-e", DISCARD_SERVER], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  let reportBody: (bytes: number) => void = () => {};
  const bodyBytes = new Promise<number>((resolve) => {
    reportBody = resolve;
  });

  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const port = /port (\d+)/.exec(output);
      const body = /body (\d+)/.exec(output);
      if (port !== null) {
        resolve({ port: Number(port[1]), bodyBytes, child });
      }
      if (body !== null) {
        reportBody(Number(body[1]));
      }
    });
  });
}

let discard: ChildProcess | null = null;

afterEach(() => {
  discard?.kill();
  discard = null;
});

describe("SendDataStream memory", () => {
  it("streams 100 MiB in bounded memory", { timeout: 120_000 }, async () => {
    const target = await startDiscardServer();
    discard = target.child;
    const transport = createSMTPTransport({ clientName: "client.example.org" });
    const recorder = new TraceRecorder(transport);
    recorder.onResponse = (response) => {
      if (!response.fDone) {
        return;
      }
      if (response.command === SMTP_CONNECTED) {
        transport.CommandMAIL("a@example.com");
      } else if (response.command === SMTP_MAIL) {
        transport.CommandRCPT("b@example.org");
      } else if (response.command === SMTP_RCPT) {
        transport.CommandDATA();
      } else if (response.command === SMTP_DATA) {
        expect(transport.SendDataStream(new GeneratedStream(MESSAGE_BYTES), MESSAGE_BYTES)).toBe(
          S_OK,
        );
      } else if (response.command === SMTP_DOT) {
        transport.CommandQUIT();
      }
    };
    transport.InitNew(null, recorder);

    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    transport.Connect(inetServer(target.port), false, false);
    await recorder.disconnected();
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    const dot = recorder.responses.find((response) => response.command === SMTP_DOT);
    const growth = (peak - baseline) / MIB;
    expect(recorder.errors).toEqual([]);
    expect(dot?.rIxpResult.uiServerError).toBe(250);
    expect(await target.bodyBytes).toBeGreaterThan(MESSAGE_BYTES);
    expect(growth, `peak RSS grew by ${growth.toFixed(1)} MiB`).toBeLessThan(32);
  });
});
