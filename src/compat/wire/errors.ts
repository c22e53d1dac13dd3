/**
 * Stable codes of {@link ProtocolError}, one per way a server reply can break the SMTP syntax or
 * the limits this client enforces.
 *
 * - `ERR_REPLY_LINE_TOO_LONG`: a reply line is longer than 2048 bytes including its line end.
 * - `ERR_REPLY_TOO_LARGE`: one reply has more than 256 lines or more than 64 KiB.
 * - `ERR_REPLY_MALFORMED`: a line does not start with a reply code `[2-5][0-5][0-9]` followed by
 *   a space, `-` or the line end (RFC 5321 §4.2).
 * - `ERR_REPLY_CODE_MISMATCH`: the lines of one multi-line reply carry different codes.
 * - `ERR_REPLY_STRAY_CR`: a line contains a CR that is not part of its CRLF line end.
 */
export type ProtocolErrorCode =
  | "ERR_REPLY_LINE_TOO_LONG"
  | "ERR_REPLY_TOO_LARGE"
  | "ERR_REPLY_MALFORMED"
  | "ERR_REPLY_CODE_MISMATCH"
  | "ERR_REPLY_STRAY_CR";

/**
 * A server reply that violates the SMTP reply syntax or the client's size limits. The connection
 * cannot be trusted after it, so the caller reports IXP_E_SMTP_UNKNOWN_RESPONSE_CODE and closes.
 */
export class ProtocolError extends Error {
  /** Stable code for programs, while the message is for people. */
  readonly code: ProtocolErrorCode;

  /**
   * The offending line or, for an over-long line, its first bytes, with control characters
   * replaced by `?`. This is the text a caller puts in `IXPRESULT.pszResponse`. Null when no
   * line text applies.
   */
  readonly line: string | null;

  constructor(code: ProtocolErrorCode, message: string, line: string | null) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
    this.line = line;
  }
}
