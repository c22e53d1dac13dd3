import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { BufferStream } from "../../src/compat/com/buffer-stream.js";
import { SMTP_DATA, SMTP_SEND_MESSAGE, SMTP_SEND_STREAM } from "../../src/imnxport/enums.js";
import {
  E_FAIL,
  E_INVALIDARG,
  IXP_E_SMTP_421_NOT_AVAILABLE,
  IXP_E_SMTP_452_NO_SYSTEM_STORAGE,
  IXP_E_SMTP_552_STORAGE_OVERFLOW,
  IXP_E_SMTP_554_TRANSACT_FAILED,
  IXP_E_SOCKET_READ_ERROR,
  S_OK,
} from "../../src/imnxport/hresults.js";
import type { IStream, STATSTG } from "../../src/imnxport/objidl.js";
import type { SMTPRESPONSE } from "../../src/imnxport/structs.js";
import { expectScenario, runScenario, smtpMessage } from "../support/scenario.js";
import { nameOf } from "../support/trace.js";

/** The SMTP_SEND_MESSAGE response of a run, which must exist. */
function sendMessageResponse(responses: readonly SMTPRESPONSE[]): SMTPRESPONSE {
  const found = responses.find((response) => response.command === SMTP_SEND_MESSAGE);
  if (found === undefined) {
    throw new Error("no SMTP_SEND_MESSAGE response");
  }
  return found;
}

/** An IStream that returns `good` bytes and then fails every later Read with E_FAIL. */
class FailingStream implements IStream {
  #sent = false;

  constructor(private readonly good: Buffer) {}

  Read(pv: Uint8Array, cb: number, pcbRead: { value: number } | null): number {
    if (this.#sent) {
      return E_FAIL;
    }

    this.#sent = true;
    const count = Math.min(cb, this.good.length);
    pv.set(this.good.subarray(0, count));
    if (pcbRead !== null) {
      pcbRead.value = count;
    }
    return S_OK;
  }

  Seek(): number {
    return S_OK;
  }

  Stat(pstatstg: STATSTG): number {
    pstatstg.cbSize = this.good.length * 2;
    return S_OK;
  }
}

/** A body of `size` bytes made of 76-character lines. */
function largeBody(size: number): Buffer {
  const line = `${"x".repeat(76)}\r\n`;
  return Buffer.from(line.repeat(Math.ceil(size / line.length)).slice(0, size));
}

describe("SendMessage", () => {
  it("two recipients golden", async () => {
    const run = await expectScenario(
      "message-two-recipients",
      "SendMessage to two recipients: one RCPT each, in order",
      {
        message: smtpMessage("a@x.test", ["b@y.test", "<c@z.test>"], "Subject: hi\r\n\r\nBody\r\n"),
      },
    );

    expect(run.connection?.commands).toEqual([
      "HELO client.example.org",
      "MAIL FROM:<a@x.test>",
      "RCPT TO:<b@y.test>",
      "RCPT TO:<c@z.test>",
      "DATA",
      "QUIT",
    ]);
    expect(sendMessageResponse(run.recorder.responses).rIxpResult.hrResult).toBe(S_OK);
  });

  it("dot lines are stuffed", async () => {
    const run = await runScenario({
      message: smtpMessage("a@x.test", ["b@y.test"], ".first\r\nmid\r\n..two\r\n.\r\nend"),
    });

    expect(run.connection?.bodies[0]?.toString()).toBe("..first\r\nmid\r\n...two\r\n..\r\nend\r\n");
  });

  it("bare LF and CR normalized", async () => {
    const run = await runScenario({
      message: smtpMessage("a@x.test", ["b@y.test"], "one\ntwo\rthree\r\n\n.four\r"),
    });

    expect(run.connection?.bodies[0]?.toString()).toBe("one\r\ntwo\r\nthree\r\n\r\n..four\r\n");
  });

  it("progress for large body", async () => {
    const body = largeBody(200_000);
    const run = await runScenario({ message: smtpMessage("a@x.test", ["b@y.test"], body) });
    const progress = run.recorder.responses.filter(
      (response) => response.command === SMTP_SEND_STREAM,
    );
    const increments = progress.map((response) => response.rStreamInfo.cbIncrement);

    expect(progress.map((response) => response.fDone)).toEqual([false, false, false, true]);
    expect(increments.reduce((sum, increment) => sum + increment, 0)).toBe(body.length);
    expect(progress.map((response) => response.rStreamInfo.cbCurrent)).toEqual([
      65536, 131072, 196608, 200000,
    ]);
    expect(progress.map((response) => response.rStreamInfo.cbTotal)).toEqual([
      200000, 200000, 200000, 200000,
    ]);
    expect(run.connection?.bodies[0]?.equals(Buffer.concat([body, Buffer.from("\r\n")]))).toBe(
      true,
    );
  });

  it("cbSize overrides Stat size", async () => {
    const body = largeBody(100_000);
    const run = await runScenario({
      message: { ...smtpMessage("a@x.test", ["b@y.test"], body), cbSize: 5 },
    });
    const progress = run.recorder.responses.filter(
      (response) => response.command === SMTP_SEND_STREAM,
    );

    expect(progress.map((response) => response.rStreamInfo)).toEqual([
      { cbIncrement: 65536, cbCurrent: 65536, cbTotal: 5 },
      { cbIncrement: 34464, cbCurrent: 100000, cbTotal: 100000 },
    ]);
  });

  it("Node Readable as pstmMsg", async () => {
    const readable = Readable.from([Buffer.from("Subject: s\r\n"), Buffer.from("\r\nline\n")]);
    const run = await runScenario({ message: smtpMessage("a@x.test", ["b@y.test"], readable) });
    const last = run.recorder.responses
      .filter((response) => response.command === SMTP_SEND_STREAM)
      .at(-1);

    expect(run.connection?.bodies[0]?.toString()).toBe("Subject: s\r\n\r\nline\r\n");
    expect(last?.rStreamInfo).toEqual({ cbIncrement: 19, cbCurrent: 19, cbTotal: 19 });
    expect(sendMessageResponse(run.recorder.responses).rIxpResult.hrResult).toBe(S_OK);
  });

  it("DATA 554 resets", async () => {
    const run = await expectScenario(
      "message-data-554",
      "DATA answered 554: SMTP_DATA, RSET, SMTP_SEND_MESSAGE with 0x800CCC6F",
      {
        server: { replies: { DATA: "554 5.5.1 No valid recipients\r\n" } },
      },
    );
    const result = sendMessageResponse(run.recorder.responses).rIxpResult;

    expect(nameOf(result.hrResult)).toBe(nameOf(IXP_E_SMTP_554_TRANSACT_FAILED));
    expect(result.uiServerError).toBe(554);
    expect(run.connection?.commands).toContain("RSET");
    expect(run.connection?.bodies).toHaveLength(0);
  });

  it("dot 552 gives 0x800CCC6D", async () => {
    const run = await runScenario({
      server: { replies: { DOT: "552 5.3.4 Message too big\r\n" } },
    });
    const result = sendMessageResponse(run.recorder.responses).rIxpResult;

    expect(nameOf(result.hrResult)).toBe(nameOf(IXP_E_SMTP_552_STORAGE_OVERFLOW));
    expect(result.pszResponse).toBe("552 5.3.4 Message too big");
    expect(run.connection?.commands.slice(-2)).toEqual(["RSET", "QUIT"]);
  });

  it("NUL in first chunk", async () => {
    const run = await expectScenario(
      "message-nul-first-chunk",
      "A NUL byte at the start of the body: no DATA, RSET, SMTP_SEND_MESSAGE with E_INVALIDARG",
      {
        message: smtpMessage("a@x.test", ["b@y.test"], Buffer.from("abc\0def\r\n")),
      },
    );
    const result = sendMessageResponse(run.recorder.responses).rIxpResult;

    expect(nameOf(result.hrResult)).toBe(nameOf(E_INVALIDARG));
    expect(result.pszProblem).toBe("NUL byte in message at offset 3");
    expect(run.connection?.commands).not.toContain("DATA");
    expect(run.connection?.commands).toContain("RSET");
  });

  it("failing Read aborts without dot", async () => {
    const run = await runScenario({
      message: smtpMessage("a@x.test", ["b@y.test"], new FailingStream(largeBody(65536))),
    });
    const error = run.recorder.errors[0];

    expect(run.recorder.errors).toHaveLength(1);
    expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_SOCKET_READ_ERROR));
    expect(run.connection?.bodies).toHaveLength(0);
    expect(run.connection?.transcript).not.toContain("C: .");
    expect(run.recorder.responses.some((response) => response.command === SMTP_SEND_MESSAGE)).toBe(
      false,
    );
    expect(run.recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
  });

  it("early 452 during body", async () => {
    const run = await runScenario({
      server: {
        duringBody: { afterBytes: 1000, reply: "452 4.3.1 Insufficient system storage\r\n" },
      },
      message: smtpMessage("a@x.test", ["b@y.test"], largeBody(8 * 1024 * 1024)),
    });
    const data = run.recorder.responses.filter((response) => response.command === SMTP_DATA);
    const result = sendMessageResponse(run.recorder.responses).rIxpResult;

    expect(data.at(-1)?.rIxpResult.uiServerError).toBe(452);
    expect(nameOf(result.hrResult)).toBe(nameOf(IXP_E_SMTP_452_NO_SYSTEM_STORAGE));
    expect(result.uiServerError).toBe(452);
    expect(run.recorder.errors).toHaveLength(0);
    expect(run.connection?.bodies).toHaveLength(0);
    expect(run.connection?.commands).not.toContain("RSET");
    expect(
      run.recorder.lines.slice(
        run.recorder.lines.findIndex((line) => line.startsWith("R{SMTP_SEND_MESSAGE")) + 1,
      ),
    ).toEqual(["CommandQUIT() → 0x800CCC05", "status IXP_DISCONNECTED"]);
  });

  it("early 421 during body", async () => {
    const run = await runScenario({
      server: { duringBody: { afterBytes: 1000, reply: "421 4.3.2 Shutting down\r\n" } },
      message: smtpMessage("a@x.test", ["b@y.test"], largeBody(8 * 1024 * 1024)),
    });
    const error = run.recorder.errors[0];

    expect(
      run.recorder.responses.filter((response) => response.command === SMTP_DATA).at(-1)?.rIxpResult
        .uiServerError,
    ).toBe(421);
    expect(run.recorder.errors).toHaveLength(1);
    expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_421_NOT_AVAILABLE));
    expect(error?.uiServerError).toBe(421);
    expect(run.recorder.responses.some((response) => response.command === SMTP_SEND_MESSAGE)).toBe(
      false,
    );
    expect(run.recorder.lines.slice(-2)).toEqual([
      'error{IXP_CONNECTED, 0x800CCC67, 421, "421 4.3.2 Shutting down"}',
      "status IXP_DISCONNECTED",
    ]);
  });

  it("NUL after first chunk drops", async () => {
    const body = Buffer.concat([largeBody(65536), Buffer.from("bad\0byte\r\n")]);
    const run = await runScenario({ message: smtpMessage("a@x.test", ["b@y.test"], body) });
    const error = run.recorder.errors[0];

    expect(run.recorder.errors).toHaveLength(1);
    expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(E_INVALIDARG));
    expect(error?.pszProblem).toBe("NUL byte in message at offset 65539");
    expect(run.connection?.transcript).not.toContain("C: .");
    expect(run.recorder.responses.some((response) => response.command === SMTP_SEND_MESSAGE)).toBe(
      false,
    );
    expect(run.recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
  });

  it("second message from SMTP_SEND_MESSAGE", async () => {
    const second = smtpMessage("a@x.test", ["c@z.test"], "Second\r\n");
    let sent = 0;
    const run = await expectScenario(
      "message-second-from-send-message",
      "A second SendMessage from inside SMTP_SEND_MESSAGE on the same connection",
      {
        quit: false,
        setup(recorder, transport) {
          const connectAndFirst = recorder.onResponse;
          recorder.onResponse = (response) => {
            if (response.command !== SMTP_SEND_MESSAGE) {
              connectAndFirst?.(response);
              return;
            }

            sent += 1;
            if (sent === 1) {
              recorder.call("SendMessage(second)", () => transport.SendMessage(second));
            } else {
              recorder.call("CommandQUIT()", () => transport.CommandQUIT());
            }
          };
        },
      },
    );

    expect(run.connection?.bodies.map((body) => body.toString())).toEqual([
      "Hello.\r\n",
      "Second\r\n",
    ]);
    expect(
      run.recorder.responses.filter((response) => response.command === SMTP_SEND_MESSAGE),
    ).toHaveLength(2);
  });
});

describe("BufferStream position", () => {
  it("body read from current position", async () => {
    const stream = new BufferStream("SKIP\r\nKeep\r\n");
    stream.Seek(6, 0, null);
    const run = await runScenario({ message: smtpMessage("a@x.test", ["b@y.test"], stream) });

    expect(run.connection?.bodies[0]?.toString()).toBe("Keep\r\n");
  });
});
