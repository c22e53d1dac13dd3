/**
 * Stable codes of {@link SaslError}.
 *
 * - `ERR_SASL_CHALLENGE_MALFORMED`: a 334 payload is not base64 (RFC 4954 §4), or its decoded
 *   bytes do not have the structure the mechanism defines, such as an NTLM CHALLENGE_MESSAGE
 *   whose fields point outside the message.
 * - `ERR_SASL_UNEXPECTED_CHALLENGE`: the server sent a challenge where the mechanism expects
 *   none, such as a second 334 after the PLAIN credentials or a non-empty PLAIN challenge.
 * - `ERR_SASL_UNSUPPORTED_CHALLENGE`: the challenge is well formed but requires something this
 *   client does not support, such as an NTLM server that does not accept Unicode strings.
 * - `ERR_SASL_INVALID_CREDENTIALS`: a user name, password or token contains a character that the
 *   mechanism's encoding cannot carry, such as NUL in PLAIN or U+0001 in XOAUTH2.
 *
 * The first three end the exchange: the caller sends `*` to cancel it (RFC 4954 §4). The last
 * one is raised before anything is sent.
 */
export type SaslErrorCode =
  | "ERR_SASL_CHALLENGE_MALFORMED"
  | "ERR_SASL_UNEXPECTED_CHALLENGE"
  | "ERR_SASL_UNSUPPORTED_CHALLENGE"
  | "ERR_SASL_INVALID_CREDENTIALS";

/**
 * A SASL exchange that cannot go on. Messages name the mechanism and the rule that failed, and
 * never quote a credential or the bytes of a response.
 */
export class SaslError extends Error {
  /** Stable code for programs, while the message is for people. */
  readonly code: SaslErrorCode;

  /** The mechanism that raised the error, such as `CRAM-MD5`, or null for decodeChallenge. */
  readonly mechanism: string | null;

  constructor(code: SaslErrorCode, message: string, mechanism: string | null) {
    super(message);
    this.name = "SaslError";
    this.code = code;
    this.mechanism = mechanism;
  }
}
