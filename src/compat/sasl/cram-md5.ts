import { createHmac } from "node:crypto";
import { SaslError } from "./errors.js";
import type { SaslMechanism, SaslStep } from "./mechanism.js";

export interface CramMd5Options {
  username: string;
  password: string;
}

const NAME = "CRAM-MD5";

/**
 * CRAM-MD5 (RFC 2195): no initial response, then one server challenge, to which the client
 * responds with `username SP hex(HMAC-MD5(password, challenge))` in lower-case hex. Names and
 * passwords are encoded as UTF-8, because RFC 2195 does not name an encoding.
 */
export class CramMd5Mechanism implements SaslMechanism {
  readonly name = NAME;

  #username: string;
  #password: string;
  #answered = false;

  constructor(options: CramMd5Options) {
    this.#username = options.username;
    this.#password = options.password;
  }

  start(): SaslStep {
    return { response: null, secret: false };
  }

  respond(challenge: Buffer): SaslStep {
    if (this.#answered) {
      throw new SaslError(
        "ERR_SASL_UNEXPECTED_CHALLENGE",
        "CRAM-MD5 received a second challenge, but RFC 2195 defines only one.",
        NAME,
      );
    }

    if (challenge.length === 0) {
      throw new SaslError(
        "ERR_SASL_CHALLENGE_MALFORMED",
        "CRAM-MD5 received an empty challenge, but RFC 2195 requires a unique string to sign.",
        NAME,
      );
    }

    this.#answered = true;
    const digest = createHmac("md5", this.#password).update(challenge).digest("hex");
    return { response: Buffer.from(`${this.#username} ${digest}`), secret: true };
  }
}
