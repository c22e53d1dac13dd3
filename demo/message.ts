/**
 * The demo's message: a MIME multipart with a text part and an attachment. One text line
 * starts with a dot, so the wire shows dot-stuffing, and the attachment part uses bare LF line
 * ends, so the transport's CRLF normalization shows in the received copy.
 */
export function buildDemoMessage(from: string, to: readonly string[]): Buffer {
  const boundary = "imnxport-demo-boundary";
  const attachment = Buffer.from(
    "Outlook Express 6 sent this attachment through imnxport.\n",
    "utf8",
  );
  const text = [
    `From: <${from}>`,
    `To: ${to.map((address) => `<${address}>`).join(", ")}`,
    "Subject: imnxport demo",
    "Message-ID: <demo@imnxport.example>",
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "Hello from a port of ISMTPTransport.",
    ".This line starts with a dot; SMTP servers see it doubled on the wire.",
    "",
  ].join("\r\n");
  const attachmentPart = [
    `--${boundary}`,
    'Content-Type: text/plain; name="note.txt"',
    'Content-Disposition: attachment; filename="note.txt"',
    "Content-Transfer-Encoding: base64",
    "",
    attachment.toString("base64"),
    `--${boundary}--`,
    "",
  ].join("\n");
  return Buffer.from(text + attachmentPart, "utf8");
}

/** The message with every bare CR and bare LF turned into CRLF, as SMTP carries it. */
export function normalizeLineEnds(message: Buffer): Buffer {
  return Buffer.from(message.toString("latin1").replace(/\r\n|\r|\n/g, "\r\n"), "latin1");
}
