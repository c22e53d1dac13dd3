import { SaslError } from "./errors.js";
import type { SaslMechanism, SaslStep } from "./mechanism.js";

export interface PlainOptions {
  username: string;
  password: string;
  /** Identity to act as (RFC 4616 authzid). Empty, the default, means the username itself. */
  authorizationId?: string;
  /**
   * Send the credentials with the AUTH command (the default) rather than after the server's
   * empty 334 challenge. False suits a server that rejects an initial response.
   */
  initialResponse?: boolean;
}

const NAME = "PLAIN";

/**
 * PLAIN (RFC 4616): one message, `authzid NUL authcid NUL passwd`, in UTF-8. RFC 4616 §2 forbids
 * NUL inside each part, so a credential that contains one is rejected before anything is sent.
 */
export class PlainMechanism implements SaslMechanism {
  readonly name = NAME;

  #message: Buffer;
  #initialResponse: boolean;
  #sent = false;

  constructor(options: PlainOptions) {
    const authorizationId = options.authorizationId ?? "";
    rejectNul("authorization identity", authorizationId);
    rejectNul("username", options.username);
    rejectNul("password", options.password);

    this.#message = Buffer.from(`${authorizationId}\0${options.username}\0${options.password}`);
    this.#initialResponse = options.initialResponse ?? true;
  }

  start(): SaslStep {
    if (!this.#initialResponse) {
      return { response: null, secret: false };
    }

    this.#sent = true;
    return { response: this.#message, secret: true };
  }

  /**
   * Sends the credentials after an empty challenge when no initial response went out. Any other
   * challenge is an error, because RFC 4616 defines no server data.
   */
  respond(challenge: Buffer): SaslStep {
    if (this.#sent) {
      throw new SaslError(
        "ERR_SASL_UNEXPECTED_CHALLENGE",
        "PLAIN received a challenge after its credentials were sent. Expected 235 or a failure reply.",
        NAME,
      );
    }

    if (challenge.length > 0) {
      throw new SaslError(
        "ERR_SASL_UNEXPECTED_CHALLENGE",
        `PLAIN received a non-empty challenge of ${challenge.length} bytes, but RFC 4616 allows only an empty one.`,
        NAME,
      );
    }

    this.#sent = true;
    return { response: this.#message, secret: true };
  }
}

function rejectNul(field: string, value: string): void {
  if (value.includes("\0")) {
    throw new SaslError(
      "ERR_SASL_INVALID_CREDENTIALS",
      `PLAIN cannot send a ${field} that contains NUL (RFC 4616 §2).`,
      NAME,
    );
  }
}
