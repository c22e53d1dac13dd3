import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { buildDemoMessage, toCrlf } from "../../src/cli/demo-message.js";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { SMTP_CONNECTED, SMTP_SEND_MESSAGE, SMTP_SEND_STREAM } from "../../src/imnxport/enums.js";
import { IXP_E_SMTP_REJECTED_RECIPIENTS, S_OK } from "../../src/imnxport/hresults.js";
import type { SMTPMESSAGE } from "../../src/imnxport/structs.js";
import { type RealServer, startRealServer } from "../support/real-server.js";
import { inetServer, smtpMessage } from "../support/scenario.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

let server: RealServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

/** Connect to the server, send each message in turn from the callbacks, then QUIT. */
async function sendAll(
  target: RealServer,
  messages: readonly SMTPMESSAGE[],
): Promise<TraceRecorder> {
  const transport = createSMTPTransport();
  const recorder = new TraceRecorder(transport);
  const queue = [...messages];
  recorder.onResponse = (response) => {
    if (
      !response.fDone ||
      (response.command !== SMTP_CONNECTED && response.command !== SMTP_SEND_MESSAGE)
    ) {
      return;
    }

    const next = queue.shift();
    const hr = next === undefined ? transport.CommandQUIT() : transport.SendMessage(next);
    expect(hr).toBe(S_OK);
  };

  expect(transport.InitNew(null, recorder)).toBe(S_OK);
  expect(
    transport.Connect(inetServer(target.port, { szServerName: target.host }), false, true),
  ).toBe(S_OK);
  await recorder.disconnected();
  return recorder;
}

function sendResults(recorder: TraceRecorder): number[] {
  return recorder.responses
    .filter((r) => r.command === SMTP_SEND_MESSAGE)
    .map((r) => r.rIxpResult.hrResult);
}

describe("delivery to smtp-server", () => {
  it("delivers the CRLF-normalized message", async () => {
    server = await startRealServer({ saveDir: null });
    const body = buildDemoMessage("a@example.com", ["b@example.org", "c@example.org"]);

    const recorder = await sendAll(server, [
      smtpMessage("a@example.com", ["b@example.org", "c@example.org"], body),
    ]);

    expect(recorder.errors).toEqual([]);
    expect(sendResults(recorder)).toEqual([S_OK]);
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0]?.raw.equals(toCrlf(body))).toBe(true);
    expect(server.messages[0]?.envelope).toEqual({
      mailFrom: "a@example.com",
      rcptTo: ["b@example.org", "c@example.org"],
    });
  });

  it("unstuffs dot lines and bare line ends", async () => {
    server = await startRealServer({ saveDir: null });
    const body = ".\r\n..two\n.\rthree\r\n.\r\nend";

    await sendAll(server, [smtpMessage("a@example.com", ["b@example.org"], body)]);

    expect(server.messages[0]?.raw.toString()).toBe(".\r\n..two\r\n.\r\nthree\r\n.\r\nend\r\n");
  });

  it("sends several messages on one connection", async () => {
    server = await startRealServer({ saveDir: null });
    const messages = [1, 2, 3].map((n) =>
      smtpMessage(
        "a@example.com",
        [`r${n}@example.org`],
        `Message-ID: <${n}@test>\r\n\r\nbody ${n}\r\n`,
      ),
    );

    const recorder = await sendAll(server, messages);

    expect(sendResults(recorder)).toEqual([S_OK, S_OK, S_OK]);
    expect(server.messages.map((m) => m.envelope.rcptTo[0])).toEqual([
      "r1@example.org",
      "r2@example.org",
      "r3@example.org",
    ]);
  });

  it("reports a rejected recipient and sends the next message", async () => {
    server = await startRealServer({
      saveDir: null,
      rejectRecipient: (address) =>
        address === "nobody@example.org" ? { code: 550, message: "5.1.1 No such user" } : null,
    });

    const recorder = await sendAll(server, [
      smtpMessage("a@example.com", ["b@example.org", "nobody@example.org"], "first\r\n"),
      smtpMessage("a@example.com", ["b@example.org"], "second\r\n"),
    ]);
    const [rejected, accepted] = recorder.responses.filter((r) => r.command === SMTP_SEND_MESSAGE);

    expect(nameOf(rejected?.rIxpResult.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_REJECTED_RECIPIENTS));
    expect(rejected?.rIxpResult.uiServerError).toBe(550);
    expect(rejected?.rIxpResult.pszProblem).toBe("nobody@example.org");
    expect(accepted?.rIxpResult.hrResult).toBe(S_OK);
    expect(server.messages.map((m) => m.raw.toString())).toEqual(["second\r\n"]);
  });

  it("streams a 4 MiB Readable with progress", async () => {
    server = await startRealServer({ saveDir: null, size: 0 });
    const line = `${"x".repeat(1022)}\r\n`;
    const count = 4096;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < count; i += 1) {
          yield Buffer.from(line);
        }
      })(),
    );

    const recorder = await sendAll(server, [
      smtpMessage("a@example.com", ["b@example.org"], source),
    ]);
    const progress = recorder.responses.filter((r) => r.command === SMTP_SEND_STREAM);
    const last = progress.at(-1);

    expect(sendResults(recorder)).toEqual([S_OK]);
    expect(server.messages[0]?.raw.length).toBe(line.length * count);
    expect(progress.length).toBeGreaterThan(10);
    expect(last?.fDone).toBe(true);
    expect(last?.rStreamInfo.cbCurrent).toBe(line.length * count);
    expect(progress.reduce((sum, r) => sum + r.rStreamInfo.cbIncrement, 0)).toBe(
      line.length * count,
    );
  });
});
