import { SaslError } from "./errors.js";

/*
 * The client side of SASL for SMTP AUTH (RFC 4954). Mechanisms are pure state machines: they
 * take decoded challenge bytes and return the bytes to send, with no socket, no timer and no
 * logging. The caller owns the wire format: it decodes each 334 payload with decodeChallenge,
 * encodes each response with encodeResponse, sends `*` when a mechanism throws, and counts
 * rounds against MAX_SASL_CHALLENGES.
 */

/** Maximum number of 334 challenges the caller accepts in one AUTH exchange before it sends `*`. */
export const MAX_SASL_CHALLENGES = 5;

/** The line a client sends to cancel an exchange (RFC 4954 §4). */
export const SASL_CANCEL = "*";

/** One client message of a SASL exchange. */
export interface SaslStep {
  /**
   * The raw bytes to send, before base64. From `start`, null means the AUTH command carries no
   * initial response. From `respond` it is never null, and an empty buffer is sent as an empty
   * line.
   */
  readonly response: Buffer | null;

  /**
   * True when the bytes reveal a credential or let an observer test password guesses offline,
   * as a PLAIN password, a CRAM-MD5 digest or an NTLM AUTHENTICATE_MESSAGE do. A caller masks
   * every AUTH line in logs in any case, so this flag only matters to code that would show
   * public steps, such as the NTLM NEGOTIATE_MESSAGE.
   */
  readonly secret: boolean;
}

/** The client half of one SASL mechanism, used for a single exchange. */
export interface SaslMechanism {
  /** The registered mechanism name, in upper case, as the AUTH command sends it. */
  readonly name: string;

  /**
   * Returns the AUTH command's initial response. It is called once, before any challenge, and
   * may throw ERR_SASL_INVALID_CREDENTIALS.
   */
  start(): SaslStep;

  /**
   * Returns the response to one server challenge, given its decoded bytes. It throws a SaslError
   * when the exchange cannot go on, and the caller then sends `*`.
   */
  respond(challenge: Buffer): SaslStep;
}

/** Strict RFC 4648 §4 base64: the standard alphabet, padding required, no whitespace inside. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Number of characters of a payload that error messages quote. */
const MESSAGE_PREVIEW_CHARS = 40;

/**
 * Decodes the payload of a 334 reply: the text after `334 `, with the reply code and separator
 * removed. Spaces and tabs around it are ignored, and an empty payload is an empty challenge.
 * Anything that is not strict base64 raises ERR_SASL_CHALLENGE_MALFORMED, because Node's own
 * decoder would silently drop the invalid characters.
 */
export function decodeChallenge(payload: string): Buffer {
  const text = payload.replace(/^[ \t]+|[ \t]+$/g, "");
  if (!BASE64.test(text)) {
    const preview = JSON.stringify(text.slice(0, MESSAGE_PREVIEW_CHARS));
    throw new SaslError(
      "ERR_SASL_CHALLENGE_MALFORMED",
      `Server challenge is not valid base64 (RFC 4954 §4): ${preview}. Cancel the exchange with "*".`,
      null,
    );
  }

  return Buffer.from(text, "base64");
}

/**
 * Encodes response bytes as base64 for the wire. An empty response gives an empty string, which
 * a continuation line sends as a bare CRLF and the AUTH command sends as `=` (RFC 4954 §4).
 */
export function encodeResponse(response: Buffer): string {
  return response.toString("base64");
}
