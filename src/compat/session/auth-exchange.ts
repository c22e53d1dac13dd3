import { SMTP_AUTH } from "../../imnxport/enums.js";
import { SaslError } from "../sasl/errors.js";
import {
  decodeChallenge,
  encodeResponse,
  MAX_SASL_CHALLENGES,
  SASL_CANCEL,
  type SaslMechanism,
} from "../sasl/mechanism.js";
import { auth } from "../wire/commands.js";
import type { Reply, Session } from "./session.js";

/** Every AUTH line that carries credentials appears in OnCommand and the log as this. */
export const MASKED_LINE = "****\r\n";

/** How an AUTH exchange ended. */
export type AuthOutcome =
  /** 235 or 245: authenticated. */
  | { kind: "accepted"; reply: Reply }
  /** A 4xx or 5xx: the server rejected the credentials (or the mechanism). */
  | { kind: "rejected"; reply: Reply }
  /** The client cancelled with `*` (a malformed or unexpected challenge, too many rounds). */
  | { kind: "cancelled"; reply: Reply; problem: string }
  /** The credentials cannot be encoded by the mechanism; nothing was sent. */
  | { kind: "unusable"; problem: string };

/**
 * One SMTP AUTH exchange (RFC 4954): `AUTH mechanism [initial-response]`, then one line per
 * 334 challenge, until 235 (or OE's 245) or a failure. Each reply line is reported as
 * SMTP_AUTH. Every client line after the mechanism name is masked in OnCommand and the log as a
 * whole, so no password, token or base64 form of one reaches a logger.
 */
export class AuthExchange {
  #rounds = 0;

  constructor(
    private readonly session: Session,
    private readonly mechanism: SaslMechanism,
    /** Runs just before the OnResponse of the exchange's final reply (not a 334). */
    private readonly beforeFinalResponse: (reply: Reply) => void,
    private readonly onDone: (outcome: AuthOutcome) => void,
  ) {}

  /**
   * Write the AUTH command. Returns false, with nothing written and `onDone` not called, when
   * the mechanism cannot encode the credentials.
   */
  start(): boolean {
    let initial: string | undefined;
    try {
      const step = this.mechanism.start();
      initial = step.response === null ? undefined : encodeResponse(step.response);
    } catch {
      return false;
    }

    const name = this.mechanism.name;
    const logged = initial === undefined ? `AUTH ${name}\r\n` : `AUTH ${name} ****\r\n`;
    this.session.writeCommand(auth(name, initial), logged);
    this.#awaitReply((reply) => this.#onReply(reply));
    return true;
  }

  #awaitReply(onReply: (reply: Reply) => void): void {
    this.session.expectReply({
      command: SMTP_AUTH,
      beforeResponse: (reply) => {
        if (reply.code !== 334) {
          this.beforeFinalResponse(reply);
        }
      },
      onReply,
    });
  }

  #onReply(reply: Reply): void {
    if (reply.code !== 334) {
      this.onDone(
        reply.kind === "success" ? { kind: "accepted", reply } : { kind: "rejected", reply },
      );
      return;
    }

    this.#rounds += 1;
    if (this.#rounds > MAX_SASL_CHALLENGES) {
      this.#cancel(`More than ${MAX_SASL_CHALLENGES} AUTH challenges; the exchange was cancelled.`);
      return;
    }

    let line: string;
    try {
      const challenge = decodeChallenge(reply.text.slice(4));
      const step = this.mechanism.respond(challenge);
      line = `${encodeResponse(step.response ?? Buffer.alloc(0))}\r\n`;
    } catch (error) {
      this.#cancel(describe(error));
      return;
    }

    this.session.writeCommand(line, MASKED_LINE);
    this.#awaitReply((next) => this.#onReply(next));
  }

  /** RFC 4954 §4: `*` cancels the exchange; the server answers it with 501. */
  #cancel(problem: string): void {
    this.session.writeCommand(`${SASL_CANCEL}\r\n`);
    this.#awaitReply((reply) => this.onDone({ kind: "cancelled", reply, problem }));
  }
}

function describe(error: unknown): string {
  if (error instanceof SaslError || error instanceof Error) {
    return error.message;
  }

  return String(error);
}
