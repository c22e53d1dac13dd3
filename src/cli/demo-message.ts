/**
 * Build the message `imnxport demo` sends: a MIME multipart with a text part and a small attachment.
 * A text line starts with a dot, so the wire shows dot-stuffing, and the attachment part has
 * bare LF line ends, so the received copy shows the transport's CRLF normalization.
 */
export function buildDemoMessage(from: string, to: readonly string[]): Buffer {
  const boundary = "=_imnxport_cli_demo";
  const note = Buffer.from("Sent by imnxport demo through ISMTPTransport.\n", "utf8");
  const head = [
    `From: <${from}>`,
    `To: ${to.map((address) => `<${address}>`).join(", ")}`,
    "Subject: imnxport CLI demo",
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "This message went from ISMTPTransport to a loopback SMTP sink.",
    "...and this line starts with dots, which SMTP doubles on the wire.",
    "",
  ].join("\r\n");
  const attachment = [
    `--${boundary}`,
    'Content-Type: text/plain; name="readme.txt"',
    'Content-Disposition: attachment; filename="readme.txt"',
    "Content-Transfer-Encoding: base64",
    "",
    note.toString("base64"),
    `--${boundary}--`,
    "",
  ].join("\n");
  return Buffer.from(head + attachment, "utf8");
}

/** Convert a message to the form SMTP carries: every bare CR and bare LF becomes CRLF. */
export function toCrlf(message: Buffer): Buffer {
  return Buffer.from(message.toString("latin1").replace(/\r\n|\r|\n/g, "\r\n"), "latin1");
}
