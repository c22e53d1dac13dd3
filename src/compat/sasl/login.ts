import { SaslError } from "./errors.js";
import type { SaslMechanism, SaslStep } from "./mechanism.js";

export interface LoginOptions {
  username: string;
  password: string;
}

const NAME = "LOGIN";

/**
 * LOGIN (draft-murchison-sasl-login): no initial response, then the username for the first
 * challenge and the password for the second. The prompt text (usually `Username:` and
 * `Password:`) is ignored, as servers word and localize it freely. A third challenge is an
 * error, so a server that repeats its prompt gets `*` at the third round.
 */
export class LoginMechanism implements SaslMechanism {
  readonly name = NAME;

  #username: Buffer;
  #password: Buffer;
  #challengesAnswered = 0;

  constructor(options: LoginOptions) {
    this.#username = Buffer.from(options.username);
    this.#password = Buffer.from(options.password);
  }

  start(): SaslStep {
    return { response: null, secret: false };
  }

  respond(_challenge: Buffer): SaslStep {
    this.#challengesAnswered += 1;

    if (this.#challengesAnswered === 1) {
      return { response: this.#username, secret: true };
    }

    if (this.#challengesAnswered === 2) {
      return { response: this.#password, secret: true };
    }

    throw new SaslError(
      "ERR_SASL_UNEXPECTED_CHALLENGE",
      "LOGIN received a third challenge after sending the username and password.",
      NAME,
    );
  }
}
