/**
 * The commands an extension command may send: those that neither change the session's state
 * nor carry data. MAIL, RCPT, DATA, RSET, AUTH, STARTTLS and QUIT have their own methods,
 * which keep the state machine right; BDAT and anything unknown are not sent.
 */
const ALLOWED_VERBS = new Set(["NOOP", "VRFY", "EXPN", "HELP", "ETRN"]);

/** Longest command line, without CRLF (RFC 5321 §4.5.3.1.4 allows 512 octets with it). */
const MAX_COMMAND_OCTETS = 510;

/**
 * Check an extension command such as `NOOP` or `VRFY postmaster` and return its wire line, or
 * the reason it is rejected. Only printable ASCII goes on the wire, so no CR, LF or other
 * control character can smuggle in a second command.
 */
export function customCommandLine(
  command: string,
): { ok: true; line: string } | { ok: false; reason: string } {
  if (typeof command !== "string" || command.length === 0) {
    return { ok: false, reason: "the command is empty" };
  }

  if (!/^[\x20-\x7e]+$/.test(command)) {
    return { ok: false, reason: "the command has a control character or non-ASCII text" };
  }

  if (command.length > MAX_COMMAND_OCTETS) {
    return { ok: false, reason: `the command is longer than ${MAX_COMMAND_OCTETS} octets` };
  }

  const verb = command.split(" ", 1)[0]?.toUpperCase() ?? "";
  if (!ALLOWED_VERBS.has(verb)) {
    return { ok: false, reason: `${verb} is not one of ${[...ALLOWED_VERBS].join(", ")}` };
  }

  return { ok: true, line: `${command}\r\n` };
}
