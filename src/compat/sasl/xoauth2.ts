import { SaslError } from "./errors.js";
import type { SaslMechanism, SaslStep } from "./mechanism.js";

export interface XOAuth2Options {
  username: string;
  /** An OAuth 2.0 access token, sent as `auth=Bearer <token>`. */
  accessToken: string;
}

const NAME = "XOAUTH2";

/**
 * XOAUTH2 (Google's and Microsoft's SASL mechanism for OAuth 2.0 bearer tokens): the initial
 * response is `user=<username>^Aauth=Bearer <token>^A^A`, where ^A is U+0001. A server that
 * rejects the token sends a 334 with a base64 JSON error. The client responds with an empty line,
 * and the server then sends its failure reply.
 */
export class XOAuth2Mechanism implements SaslMechanism {
  readonly name = NAME;

  #message: Buffer;
  #errorReceived = false;

  /**
   * The decoded JSON error of the 334 challenge, as UTF-8 text, or null before one arrives. It
   * names the failure (such as `{"status":"401", …}`) and carries no secret, so a caller can
   * put it in its error report.
   */
  errorChallenge: string | null = null;

  constructor(options: XOAuth2Options) {
    rejectSeparator("username", options.username);
    rejectSeparator("access token", options.accessToken);

    this.#message = Buffer.from(
      `user=${options.username}\x01auth=Bearer ${options.accessToken}\x01\x01`,
    );
  }

  start(): SaslStep {
    return { response: this.#message, secret: true };
  }

  respond(challenge: Buffer): SaslStep {
    if (this.#errorReceived) {
      throw new SaslError(
        "ERR_SASL_UNEXPECTED_CHALLENGE",
        "XOAUTH2 received a second challenge after the error challenge.",
        NAME,
      );
    }

    this.#errorReceived = true;
    this.errorChallenge = challenge.toString("utf8");
    return { response: Buffer.alloc(0), secret: false };
  }
}

function rejectSeparator(field: string, value: string): void {
  if (value.includes("\x01")) {
    throw new SaslError(
      "ERR_SASL_INVALID_CREDENTIALS",
      `XOAUTH2 cannot send a ${field} that contains U+0001, its field separator.`,
      NAME,
    );
  }
}
