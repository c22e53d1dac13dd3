import {
  ADDR_DSN_DELAY,
  ADDR_DSN_FAILURE,
  ADDR_DSN_NEVER,
  ADDR_DSN_SUCCESS,
  DSNRET_FULL,
  DSNRET_HDRS,
} from "../../imnxport/enums.js";

/*
 * Builders for SMTP command lines. Each returns the exact line, CRLF included (RFC 5321 §2.3.8
 * allows no other line end). Arguments must already have passed the checks in address.ts: these
 * functions do not validate, so a CR or LF in an argument would reach the wire.
 */

const CRLF = "\r\n";

/**
 * Builds `MAIL FROM:<mailbox>` with optional ESMTP parameters. There is no space after the
 * colon, because the RFC 5321 §4.1.1.2 syntax has none and strict servers reject one. An empty
 * `mailbox` gives the null reverse path `<>`.
 */
export function mailFrom(mailbox: string, params: readonly string[] = []): string {
  return `MAIL FROM:<${mailbox}>${joinParams(params)}${CRLF}`;
}

/** Builds `RCPT TO:<mailbox>` with optional ESMTP parameters (RFC 5321 §4.1.1.3). */
export function rcptTo(mailbox: string, params: readonly string[] = []): string {
  return `RCPT TO:<${mailbox}>${joinParams(params)}${CRLF}`;
}

/** Builds `EHLO name`, where `name` is a domain or an address literal (RFC 5321 §4.1.1.1). */
export function ehlo(name: string): string {
  return `EHLO ${name}${CRLF}`;
}

/** Builds `HELO name` (RFC 5321 §4.1.1.1). */
export function helo(name: string): string {
  return `HELO ${name}${CRLF}`;
}

/**
 * Builds `AUTH mechanism [initial-response]` (RFC 4954 §4). An empty initial response is sent
 * as `=`, which RFC 4954 reserves for "present but empty". The line may carry a secret, so a
 * caller logs a masked copy.
 */
export function auth(mechanism: string, initialResponse?: string): string {
  if (initialResponse === undefined) {
    return `AUTH ${mechanism}${CRLF}`;
  }
  return `AUTH ${mechanism} ${initialResponse === "" ? "=" : initialResponse}${CRLF}`;
}

/** Builds `RSET`. */
export function rset(): string {
  return `RSET${CRLF}`;
}

/** Builds `DATA`. */
export function data(): string {
  return `DATA${CRLF}`;
}

/** Builds `QUIT`. */
export function quit(): string {
  return `QUIT${CRLF}`;
}

/** Builds `STARTTLS` (RFC 3207 §4). */
export function startTls(): string {
  return `STARTTLS${CRLF}`;
}

/**
 * Builds the end-of-data line `.` CRLF. It completes CRLF `.` CRLF only when the body before it
 * ended with CRLF, which DataEncoder.finish guarantees (RFC 5321 §4.1.1.4).
 */
export function dot(): string {
  return `.${CRLF}`;
}

/**
 * Builds the RCPT parameter NOTIFY from the ADDR_DSN_* bits of an INETADDR `addrtype`
 * (RFC 3461 §4.1). `NOTIFY=NEVER` when ADDR_DSN_NEVER is set, because NEVER cannot be combined
 * with other values. Otherwise `NOTIFY=` lists SUCCESS, FAILURE and DELAY, in that order, for
 * the bits that are set. Returns null when no DSN bit is set.
 */
export function dsnNotifyParam(addrtype: number): string | null {
  if ((addrtype & ADDR_DSN_NEVER) !== 0) {
    return "NOTIFY=NEVER";
  }

  const conditions: string[] = [];
  if ((addrtype & ADDR_DSN_SUCCESS) !== 0) {
    conditions.push("SUCCESS");
  }
  if ((addrtype & ADDR_DSN_FAILURE) !== 0) {
    conditions.push("FAILURE");
  }
  if ((addrtype & ADDR_DSN_DELAY) !== 0) {
    conditions.push("DELAY");
  }
  return conditions.length === 0 ? null : `NOTIFY=${conditions.join(",")}`;
}

/**
 * Builds the MAIL parameter RET from a DSNRET value (RFC 3461 §4.3): `RET=HDRS` or `RET=FULL`.
 * Returns null for DSNRET_DEFAULT and any other value, which leaves the choice to the server.
 */
export function dsnRetParam(dsnRet: number): string | null {
  if (dsnRet === DSNRET_HDRS) {
    return "RET=HDRS";
  }
  if (dsnRet === DSNRET_FULL) {
    return "RET=FULL";
  }
  return null;
}

/** Builds the MAIL parameter `ENVID=xtext` from an identifier that checkEnvid accepted. */
export function envidParam(envid: string): string {
  return `ENVID=${xtext(envid)}`;
}

/**
 * Encodes a value as xtext (RFC 3461 §4). The characters `!` to `~` other than `+` and `=` stay
 * as they are. Every other byte of the UTF-8 encoding becomes `+` and two uppercase hex digits,
 * so a space is `+20` and a CR cannot reach the wire raw.
 */
export function xtext(value: string): string {
  let encoded = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const isXchar = byte >= 0x21 && byte <= 0x7e && byte !== 0x2b && byte !== 0x3d;
    encoded += isXchar
      ? String.fromCharCode(byte)
      : `+${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded;
}

function joinParams(params: readonly string[]): string {
  return params.length === 0 ? "" : ` ${params.join(" ")}`;
}
