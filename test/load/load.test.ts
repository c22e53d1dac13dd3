import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { SMTPCallbackBase } from "../../src/compat/callback-base.js";
import { createSMTPTransport } from "../../src/compat/transport.js";
import {
  IXP_DISCONNECTED,
  type IXPSTATUS,
  SMTP_CONNECTED,
  SMTP_SEND_MESSAGE,
} from "../../src/imnxport/enums.js";
import { S_OK } from "../../src/imnxport/hresults.js";
import type { ISMTPTransport2 } from "../../src/imnxport/interfaces.js";
import type { IXPRESULT, SMTPRESPONSE } from "../../src/imnxport/structs.js";
import { type RealServer, startRealServer } from "../support/real-server.js";
import { CLIENT_NAME, inetServer, smtpMessage } from "../support/scenario.js";

const TRANSPORTS = 50;
const MESSAGES_PER_TRANSPORT = 100;
const TIME_LIMIT_MS = 120_000;

let server: RealServer | null = null;

afterAll(async () => {
  await server?.close();
});

/** Builds a message of about 1 KiB whose Message-ID names the transport and the message number. */
function loadMessage(transport: number, index: number): { messageId: string; text: string } {
  const messageId = `<load-${transport}-${index}-${randomUUID()}@imnxport.test>`;
  const text = [
    "From: load@example.com",
    "To: sink@example.org",
    `Subject: load ${transport}/${index}`,
    `Message-ID: ${messageId}`,
    "",
    ...Array.from({ length: 12 }, (_, line) => `${line} ${"x".repeat(70)}`),
    ".a line that starts with a dot",
    "",
  ].join("\r\n");
  return { messageId, text };
}

/** What one transport did: the Message-IDs it sent and every failure it reported. */
interface TransportRun {
  sent: string[];
  failures: string[];
}

/**
 * Sends MESSAGES_PER_TRANSPORT messages on one connection, each from inside the
 * SMTP_SEND_MESSAGE of the one before, then QUIT. Resolves at IXP_DISCONNECTED.
 */
function runTransport(port: number, number: number): Promise<TransportRun> {
  const transport: ISMTPTransport2 = createSMTPTransport({ clientName: CLIENT_NAME });
  const result: TransportRun = { sent: [], failures: [] };
  let index = 0;

  const sendNext = (): void => {
    if (index === MESSAGES_PER_TRANSPORT) {
      const hr = transport.CommandQUIT();
      if (hr !== S_OK) {
        result.failures.push(`CommandQUIT returned 0x${hr.toString(16)}`);
      }
      return;
    }

    const { messageId, text } = loadMessage(number, index);
    index += 1;
    const hr = transport.SendMessage(smtpMessage("load@example.com", ["sink@example.org"], text));
    if (hr !== S_OK) {
      result.failures.push(`SendMessage ${index} returned 0x${hr.toString(16)}`);
      transport.DropConnection();
      return;
    }
    result.sent.push(messageId);
  };

  return new Promise((resolve) => {
    class LoadCallback extends SMTPCallbackBase {
      override OnResponse(response: SMTPRESPONSE): number {
        if (response.command === SMTP_CONNECTED && response.fDone) {
          sendNext();
        }
        if (response.command === SMTP_SEND_MESSAGE) {
          if (response.rIxpResult.hrResult !== S_OK) {
            result.failures.push(`message ${index}: ${response.rIxpResult.pszResponse}`);
          }
          sendNext();
        }
        return S_OK;
      }

      override OnError(_status: IXPSTATUS, error: IXPRESULT): number {
        result.failures.push(`OnError 0x${error.hrResult.toString(16)} ${error.pszResponse}`);
        return S_OK;
      }

      override OnStatus(status: IXPSTATUS): number {
        if (status === IXP_DISCONNECTED) {
          resolve(result);
        }
        return S_OK;
      }
    }

    transport.InitNew(null, new LoadCallback());
    const hr = transport.Connect(inetServer(port, { dwTimeout: 60 }), false, false);
    if (hr !== S_OK) {
      result.failures.push(`Connect returned 0x${hr.toString(16)}`);
      resolve(result);
    }
  });
}

/** Returns the Message-ID header of a received message, or null. */
function messageIdOf(raw: Buffer): string | null {
  return /^Message-ID: (.*)$/im.exec(raw.toString("latin1"))?.[1]?.trim() ?? null;
}

describe("load", () => {
  it(`${TRANSPORTS} transports × ${MESSAGES_PER_TRANSPORT} messages`, {
    timeout: TIME_LIMIT_MS,
  }, async () => {
    server = await startRealServer({ saveDir: null, size: 0 });
    const port = server.port;
    const total = TRANSPORTS * MESSAGES_PER_TRANSPORT;
    const started = performance.now();

    const runs = await Promise.all(
      Array.from({ length: TRANSPORTS }, (_, number) => runTransport(port, number)),
    );
    const received = await server.waitForMessages(total, 10_000);
    const seconds = (performance.now() - started) / 1000;
    const rate = total / seconds;
    console.log(
      `load: ${total} messages over ${TRANSPORTS} connections in ${seconds.toFixed(2)} s ` +
        `(${rate.toFixed(0)} messages/s)`,
    );

    const sent = runs.flatMap((run) => run.sent);
    const counts = new Map<string, number>();
    for (const message of received) {
      const id = messageIdOf(message.raw) ?? "(no Message-ID)";
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }

    expect(runs.flatMap((run) => run.failures)).toEqual([]);
    expect(sent).toHaveLength(total);
    expect(new Set(sent).size).toBe(total);
    expect(received).toHaveLength(total);
    expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    expect(sent.filter((id) => counts.get(id) !== 1)).toEqual([]);
    expect(server.errors).toEqual([]);
  });
});
