import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { ISF_QUERYDSNSUPPORT } from "../../src/imnxport/constants.js";
import {
  ADDR_DSN_FAILURE,
  ADDR_FROM,
  ADDR_TO,
  DSNRET_HDRS,
  SMTP_CONNECTED,
  SMTP_EHLO,
  SMTP_SEND_MESSAGE,
} from "../../src/imnxport/enums.js";
import { IXP_E_SMTP_REJECTED_RECIPIENTS, S_OK } from "../../src/imnxport/hresults.js";
import type { SMTPMESSAGE, SMTPMESSAGE2, SMTPRESPONSE } from "../../src/imnxport/structs.js";
import {
  POSTFIX_DOMAIN,
  type PostfixInstance,
  postfixAvailability,
  startPostfix,
} from "../support/postfix.js";
import { CLIENT_NAME, inetServer, smtpMessage } from "../support/scenario.js";
import { expectDisconnectedLast } from "../support/session-checks.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

// CI installs Postfix and runs as root, so there a missing Postfix fails the tests.
const availability = postfixAvailability();
const skip = !availability.usable && !process.env.CI;

let postfix: PostfixInstance;

/** Builds a message with a unique Message-ID, dot lines and a bare LF, to test transparency. */
function testMessage(to: string): { messageId: string; text: string; message: SMTPMESSAGE } {
  const messageId = `<${randomUUID()}@${POSTFIX_DOMAIN}>`;
  const text = [
    "From: Sender <sender@example.com>",
    `To: ${to}`,
    "Subject: imnxport through Postfix",
    `Message-ID: ${messageId}`,
    // With a Date header of its own, the message reaches the Maildir without added headers.
    `Date: ${new Date().toUTCString().replace("GMT", "+0000")}`,
    "",
    "First line.",
    ".A line that starts with a dot.",
    ".",
    "Bare LF ends this line.\nLast line.",
    "",
  ].join("\r\n");
  return { messageId, text, message: smtpMessage("sender@example.com", [to], text) };
}

/**
 * Connects to Postfix, sends `send`'s message from inside SMTP_CONNECTED and QUITs from inside
 * SMTP_SEND_MESSAGE. Resolves with the recorder once IXP_DISCONNECTED has been reported.
 */
async function deliver(
  send: (transport: ReturnType<typeof createSMTPTransport>) => number,
  dwFlags = 0,
): Promise<TraceRecorder> {
  const transport = createSMTPTransport({ clientName: CLIENT_NAME });
  const recorder = new TraceRecorder(transport);
  recorder.onResponse = (response: SMTPRESPONSE) => {
    if (response.fDone && response.command === SMTP_CONNECTED) {
      expect(send(transport)).toBe(S_OK);
    }
    if (response.command === SMTP_SEND_MESSAGE) {
      expect(transport.CommandQUIT()).toBe(S_OK);
    }
  };

  expect(transport.InitNew(null, recorder)).toBe(S_OK);
  expect(transport.Connect(inetServer(postfix.port, { dwFlags }), false, true)).toBe(S_OK);
  await recorder.disconnected();
  expectDisconnectedLast(recorder);
  return recorder;
}

function sendResult(recorder: TraceRecorder): SMTPRESPONSE {
  const results = recorder.responses.filter((response) => response.command === SMTP_SEND_MESSAGE);
  expect(results).toHaveLength(1);
  return results[0] as SMTPRESPONSE;
}

/** Returns the queue id from Postfix's "250 2.0.0 Ok: queued as 4F1C2" reply to the dot. */
function queueIdOf(response: SMTPRESPONSE): string {
  const match = /queued as ([0-9A-Za-z]+)/.exec(response.rIxpResult.pszResponse ?? "");
  expect(match).not.toBeNull();
  return match?.[1] ?? "";
}

/** Converts a message to the form the Maildir stores: LF line ends, dots unstuffed. */
function storedForm(text: string): string {
  return text.replace(/\r\n|\r|\n/g, "\n");
}

/** Asserts that Postfix logged the queue id's Message-ID and a successful Maildir delivery. */
async function expectDeliveredInLog(queueId: string, messageId: string): Promise<void> {
  const escapedId = messageId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await postfix.waitForLog(new RegExp(`${queueId}: message-id=${escapedId}$`));
  const sent = await postfix.waitForLog(new RegExp(`${queueId}: to=<.*status=sent`));

  expect(sent).toContain(`to=<${postfix.mailbox}>`);
  expect(sent).toContain("(delivered to maildir)");
}

describe.skipIf(skip)(
  skip ? `Postfix delivery (skipped: ${availability.reason})` : "Postfix delivery",
  () => {
    beforeAll(async () => {
      postfix = await startPostfix();
    }, 30_000);

    afterAll(async () => {
      await postfix?.stop();
    }, 30_000);

    it("HELO session delivers to Maildir", async () => {
      const { messageId, text, message } = testMessage(postfix.mailbox);
      const recorder = await deliver((transport) => transport.SendMessage(message));
      const result = sendResult(recorder);
      const queueId = queueIdOf(result);
      const delivery = await postfix.waitForDelivery(messageId);

      expect(nameOf(result.rIxpResult.hrResult)).toBe(nameOf(S_OK));
      expect(recorder.errors).toEqual([]);
      expect(recorder.lines).toContain(`send "HELO ${CLIENT_NAME}\\r\\n"`);
      expect(delivery.content.endsWith(storedForm(text))).toBe(true);
      expect(delivery.content).toContain(`Delivered-To: ${postfix.mailbox}`);
      await expectDeliveredInLog(queueId, messageId);
    });

    it("EHLO session with DSN delivers", async () => {
      const { messageId, text, message } = testMessage(postfix.mailbox);
      const addresses = [
        { addrtype: ADDR_FROM, szEmail: "sender@example.com" },
        { addrtype: ADDR_TO | ADDR_DSN_FAILURE, szEmail: postfix.mailbox },
      ];
      const message2: SMTPMESSAGE2 = {
        smtpMsg: { ...message, rAddressList: { cAddress: 2, prgAddress: addresses } },
        pszDSNENVID: messageId.slice(1, -1),
        dsnRet: DSNRET_HDRS,
        dwReserved: 0,
        dwReserved2: 0,
      };
      const recorder = await deliver(
        (transport) => transport.SendMessage2(message2),
        ISF_QUERYDSNSUPPORT,
      );
      const result = sendResult(recorder);
      const ehloLines = recorder.responses
        .filter((response) => response.command === SMTP_EHLO)
        .map((response) => response.rIxpResult.pszResponse);
      const delivery = await postfix.waitForDelivery(messageId);

      expect(nameOf(result.rIxpResult.hrResult)).toBe(nameOf(S_OK));
      expect(ehloLines).toContain("250-DSN");
      expect(
        recorder.lines.some((line) => /^send "MAIL FROM:<.*> ENVID=.* RET=HDRS/.test(line)),
      ).toBe(true);
      expect(recorder.lines).toContain(`send "RCPT TO:<${postfix.mailbox}> NOTIFY=FAILURE\\r\\n"`);
      expect(delivery.content.endsWith(storedForm(text))).toBe(true);
      await expectDeliveredInLog(queueIdOf(result), messageId);
    });

    it("unknown local user gives 0x800CCC79", async () => {
      const unknown = `no-such-user-${randomUUID().slice(0, 8)}@${POSTFIX_DOMAIN}`;
      const { message } = testMessage(unknown);
      const recorder = await deliver((transport) => transport.SendMessage(message));
      const result = sendResult(recorder).rIxpResult;

      expect(nameOf(result.hrResult)).toBe(nameOf(IXP_E_SMTP_REJECTED_RECIPIENTS));
      expect(result.uiServerError).toBe(550);
      expect(result.pszProblem).toBe(unknown);
      expect(result.pszResponse).toMatch(/^550 5\.1\.1 <.*>: Recipient address rejected/);
      expect(recorder.lines).toContain('send "RSET\\r\\n"');
      await postfix.waitForLog(new RegExp(`NOQUEUE: reject: RCPT .* 550 5\\.1\\.1 <${unknown}>`));
    });
  },
);
