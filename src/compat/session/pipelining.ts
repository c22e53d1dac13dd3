import { SMTP_MAIL, SMTP_RCPT } from "../../imnxport/enums.js";
import {
  type HRESULT,
  IXP_E_SMTP_REJECTED_RECIPIENTS,
  IXP_E_SMTP_REJECTED_SENDER,
} from "../../imnxport/hresults.js";
import { mailFrom, rcptTo } from "../wire/commands.js";
import type { Envelope } from "./message-flow.js";
import type { Reply, Session } from "./session.js";

/** The first rejection among the envelope's replies. */
export interface EnvelopeRejection {
  reply: Reply;
  hr: HRESULT;
  /** The rejected recipient, for pszProblem. */
  recipient: string | null;
}

/** The handlers for the end of the envelope: every reply arrived, or a 421 ended the session. */
export interface EnvelopeOutcome {
  onComplete(rejection: EnvelopeRejection | null): void;
  on421(reply: Reply): void;
}

/**
 * Send MAIL and every RCPT without waiting between them (PIPELINING, RFC 2920), then read their
 * replies strictly in order. Each reply is still reported as its own SMTP_MAIL or SMTP_RCPT
 * response, so the callbacks look as they do without pipelining. Only the OnCommand lines of
 * the commands come first. Every reply is read before the outcome, so a later command never
 * consumes one of them.
 */
export function sendEnvelopePipelined(
  session: Session,
  envelope: Envelope,
  outcome: EnvelopeOutcome,
): void {
  let rejection: EnvelopeRejection | null = null;
  let remaining = envelope.recipients.length + 1;
  let ended = false;

  const onReply = (reply: Reply, hr: HRESULT, recipient: string | null): void => {
    if (ended) {
      return;
    }

    if (reply.code === 421) {
      ended = true;
      outcome.on421(reply);
      return;
    }

    if (rejection === null && reply.kind === "failure") {
      rejection = { reply, hr, recipient };
    }

    remaining -= 1;
    if (remaining === 0) {
      outcome.onComplete(rejection);
    }
  };

  session.writeCommand(mailFrom(envelope.from, envelope.mailParams));
  session.queueReply({
    command: SMTP_MAIL,
    onReply: (reply) => onReply(reply, IXP_E_SMTP_REJECTED_SENDER, null),
  });

  envelope.recipients.forEach((recipient, index) => {
    session.writeCommand(rcptTo(recipient, envelope.recipientParams?.[index]));
    session.queueReply({
      command: SMTP_RCPT,
      onReply: (reply) => onReply(reply, IXP_E_SMTP_REJECTED_RECIPIENTS, recipient),
    });
  });
}
