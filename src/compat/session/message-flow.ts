import { ADDR_TOFROM_MASK } from "../../imnxport/constants.js";
import {
  ADDR_FROM,
  DSNRET_DEFAULT,
  DSNRET_FULL,
  DSNRET_HDRS,
  SMTP_DATA,
  SMTP_DOT,
  SMTP_MAIL,
  SMTP_RCPT,
  SMTP_RSET,
  SMTP_SEND_MESSAGE,
  SMTP_SEND_STREAM,
} from "../../imnxport/enums.js";
import {
  type HRESULT,
  IXP_E_SMTP_421_NOT_AVAILABLE,
  IXP_E_SMTP_REJECTED_RECIPIENTS,
  IXP_E_SMTP_REJECTED_SENDER,
  IXP_S_SMTP_NO_DSN_SUPPORT,
  S_OK,
} from "../../imnxport/hresults.js";
import type { IXPRESULT, MessageSource, SMTPMESSAGE2, SMTPSTREAM } from "../../imnxport/structs.js";
import { BodyPump, bodyFailureResult, closeChunks } from "../body/body-pump.js";
import { asReadError, readMessage, statSize } from "../body/message-source.js";
import { makeResponse, makeResult } from "../results.js";
import { checkEnvid } from "../wire/address.js";
import {
  data,
  dot,
  dsnNotifyParam,
  dsnRetParam,
  envidParam,
  mailFrom,
  rcptTo,
  rset,
} from "../wire/commands.js";
import { MIN_DOT_TIMEOUT_SECONDS } from "./deadline.js";
import { sendEnvelopePipelined } from "./pipelining.js";
import type { Reply, Session } from "./session.js";

/** One message as SendMessage received it, after the addresses passed their checks. */
export interface Envelope {
  from: string;
  recipients: string[];
  source: MessageSource;
  cbSize: number;
  /** ESMTP parameters of MAIL FROM (SendMessage2's ENVID and RET). */
  mailParams?: readonly string[];
  /** ESMTP parameters of each RCPT TO, by recipient index (SendMessage2's NOTIFY). */
  recipientParams?: readonly (readonly string[])[];
  /** hrResult of a successful SMTP_SEND_MESSAGE: S_OK unless requested DSN had to be dropped. */
  successResult?: HRESULT;
  /** Send MAIL and the RCPTs together: the caller opted in and the server lists PIPELINING. */
  pipelined?: boolean;
}

/** Whether SendMessage2's ENVID and RET are valid; E_INVALIDARG if not. */
export function isUsableDsnRequest(message: SMTPMESSAGE2): boolean {
  const envid = message.pszDSNENVID;
  if (envid !== null && envid !== undefined && !checkEnvid(envid).ok) {
    return false;
  }

  const ret: number = message.dsnRet ?? DSNRET_DEFAULT;
  return ret === DSNRET_DEFAULT || ret === DSNRET_HDRS || ret === DSNRET_FULL;
}

/**
 * Computes the DSN parts of a SendMessage2 envelope (RFC 3461): ENVID and RET on MAIL, NOTIFY on each
 * RCPT from its ADDR_DSN_* bits. When DSN is requested but the EHLO reply did not list `DSN`,
 * no parameter is sent and a successful message ends with IXP_S_SMTP_NO_DSN_SUPPORT. The
 * message must have passed isUsableDsnRequest and checkEnvelope.
 */
export function dsnEnvelopeFields(
  message: SMTPMESSAGE2,
  serverHasDsn: boolean,
): Pick<Envelope, "mailParams" | "recipientParams" | "successResult"> {
  const mailParams: string[] = [];
  const envid = message.pszDSNENVID;
  if (envid !== null && envid !== undefined) {
    mailParams.push(envidParam(envid));
  }

  const ret = dsnRetParam(message.dsnRet ?? DSNRET_DEFAULT);
  if (ret !== null) {
    mailParams.push(ret);
  }

  // Recipients in checkEnvelope's order: every entry that is not ADDR_FROM.
  const list = message.smtpMsg.rAddressList;
  const recipientParams = list.prgAddress
    .slice(0, list.cAddress)
    .filter((entry) => (entry.addrtype & ADDR_TOFROM_MASK) !== ADDR_FROM)
    .map((entry) => {
      const notify = dsnNotifyParam(entry.addrtype);
      return notify === null ? [] : [notify];
    });

  const requested = mailParams.length > 0 || recipientParams.some((params) => params.length > 0);
  if (!requested) {
    return { successResult: S_OK };
  }

  if (!serverHasDsn) {
    return { successResult: IXP_S_SMTP_NO_DSN_SUPPORT };
  }

  return { mailParams, recipientParams, successResult: S_OK };
}

/** Report the body's progress as SMTP_SEND_STREAM responses. */
export function streamProgressReporter(
  session: Session,
): (info: SMTPSTREAM, done: boolean) => void {
  return (info, done) => {
    const result = makeResult({ hrResult: S_OK });
    session.callbacks.response(
      makeResponse(SMTP_SEND_STREAM, done, result, session.transport, info),
    );
  };
}

/** Bytes to report as the message size: cbSize when given, else the stream's own size. */
export function progressTotal(source: MessageSource, cbSize: number): number {
  return cbSize > 0 ? cbSize : statSize(source);
}

/**
 * SendMessage: MAIL, one RCPT per recipient, DATA, the body, the final dot, then
 * SMTP_SEND_MESSAGE. A rejected step gets RSET so the connection can carry the next message,
 * and SMTP_SEND_MESSAGE carries the stage's result (0x800CCC78 at MAIL, 0x800CCC79 at RCPT, the
 * reply's own HRESULT at DATA and after the dot).
 */
export class MessageFlow {
  #nextRecipient = 0;
  #pump: BodyPump | null = null;
  readonly #chunks: AsyncIterator<Uint8Array>;
  /** The first chunk, read while MAIL and RCPT are in flight so a NUL byte stops the message before DATA. */
  readonly #firstChunk: Promise<IteratorResult<Uint8Array> | Error>;

  constructor(
    private readonly session: Session,
    private readonly envelope: Envelope,
  ) {
    this.#chunks = readMessage(envelope.source)[Symbol.asyncIterator]();
    this.#firstChunk = this.#chunks
      .next()
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }

  /** Write MAIL FROM; the rest follows on the replies. */
  start(): void {
    this.session.flowActive = true;
    this.session.onTeardown = () => {
      this.#pump?.abort();
      closeChunks(this.#chunks);
    };
    if (this.envelope.pipelined === true) {
      this.session.corked(() => this.#sendEnvelopePipelined());
      return;
    }

    this.session.writeCommand(mailFrom(this.envelope.from, this.envelope.mailParams));
    this.session.expectReply({ command: SMTP_MAIL, onReply: (reply) => this.#onMailReply(reply) });
  }

  #sendEnvelopePipelined(): void {
    sendEnvelopePipelined(this.session, this.envelope, {
      on421: (reply) => this.#fail421(reply),
      onComplete: (rejection) => {
        if (rejection === null) {
          this.#sendData().catch((error: unknown) => this.#abandon(error));
          return;
        }

        this.#reject(rejection.reply, rejection.hr, rejection.recipient);
      },
    });
  }

  #onMailReply(reply: Reply): void {
    if (reply.kind === "failure") {
      this.#reject(reply, IXP_E_SMTP_REJECTED_SENDER, null);
      return;
    }

    this.#sendNextRecipient();
  }

  #sendNextRecipient(): void {
    const recipient = this.envelope.recipients[this.#nextRecipient];
    if (recipient === undefined) {
      this.#sendData().catch((error: unknown) => this.#abandon(error));
      return;
    }

    const params = this.envelope.recipientParams?.[this.#nextRecipient];
    this.#nextRecipient += 1;
    this.session.writeCommand(rcptTo(recipient, params));
    this.session.expectReply({
      command: SMTP_RCPT,
      onReply: (reply) => this.#onRcptReply(reply, recipient),
    });
  }

  #onRcptReply(reply: Reply, recipient: string): void {
    if (reply.kind === "failure") {
      this.#reject(reply, IXP_E_SMTP_REJECTED_RECIPIENTS, recipient);
      return;
    }

    this.#sendNextRecipient();
  }

  async #sendData(): Promise<void> {
    const socket = this.session.socket;
    const first = await this.#firstChunk;
    if (this.session.socket !== socket || socket === null) {
      return;
    }

    if (first instanceof Error) {
      this.#resetThenFinish(bodyFailureResult({ kind: "read-failed", error: asReadError(first) }));
      return;
    }

    const nulOffset = firstNulOffset(first);
    if (nulOffset >= 0) {
      this.#resetThenFinish(bodyFailureResult({ kind: "nul", offset: nulOffset }));
      return;
    }

    this.session.writeCommand(data());
    this.session.expectReply({
      command: SMTP_DATA,
      onReply: (reply) => this.#onDataReply(reply, first),
    });
  }

  #onDataReply(reply: Reply, first: IteratorResult<Uint8Array>): void {
    if (reply.kind === "failure") {
      this.#reject(reply, reply.hr, null);
      return;
    }

    this.#streamBody(first).catch((error: unknown) => this.#abandon(error));
  }

  async #streamBody(first: IteratorResult<Uint8Array>): Promise<void> {
    const session = this.session;
    const socket = session.socket;
    const total = progressTotal(this.envelope.source, this.envelope.cbSize);
    const pump = new BodyPump(session, this.#chunks, total, streamProgressReporter(session));
    this.#pump = pump;
    session.dataMode = true;
    session.watchReplies({
      command: SMTP_DATA,
      onReply: (reply) => this.#onEarlyReply(reply, pump),
    });

    const outcome = await pump.run(first);
    if (session.socket !== socket) {
      return;
    }

    switch (outcome.kind) {
      case "done":
        session.stopWatching();
        session.dataMode = false;
        session.writeAfter(outcome.tail, dot());
        session.expectReply({
          command: SMTP_DOT,
          minTimeoutSeconds: MIN_DOT_TIMEOUT_SECONDS,
          onReply: (reply) => this.#onDotReply(reply),
        });
        return;
      case "nul":
      case "read-failed":
        session.fail(bodyFailureResult(outcome));
        return;
      case "aborted":
        return;
    }
  }

  /**
   * A reply that came while the body was still being written (RFC 5321 §3.8). The server is
   * still reading message data, so no RSET can follow: the connection is closed.
   */
  #onEarlyReply(reply: Reply, pump: BodyPump): void {
    pump.abort();
    if (reply.kind === "success") {
      this.session.protocolError(reply.text, reply.code);
      return;
    }

    if (reply.code === 421) {
      this.#fail421(reply);
      return;
    }

    this.session.detach();
    this.#finish(makeResult({ hrResult: reply.hr, reply }));
    this.session.reportDisconnected();
  }

  #onDotReply(reply: Reply): void {
    if (reply.kind === "failure") {
      this.#reject(reply, reply.hr, null);
      return;
    }

    this.#finish(makeResult({ hrResult: this.envelope.successResult ?? S_OK, reply }));
  }

  #reject(reply: Reply, hrResult: HRESULT, problem: string | null): void {
    if (reply.code === 421) {
      this.#fail421(reply);
      return;
    }

    this.#resetThenFinish(makeResult({ hrResult, reply, pszProblem: problem }));
  }

  /** RFC 5321 §3.8: a 421 ends the session, so the message ends with OnError, not a result. */
  #fail421(reply: Reply): void {
    this.session.fail(makeResult({ hrResult: IXP_E_SMTP_421_NOT_AVAILABLE, reply }));
  }

  #resetThenFinish(result: IXPRESULT): void {
    this.session.writeCommand(rset());
    this.session.expectReply({
      command: SMTP_RSET,
      onReply: (reply) => {
        if (reply.code !== 421) {
          this.#finish(result);
          return;
        }

        this.session.closing = true;
        this.#finish(result);
        this.session.drop();
      },
    });
  }

  /** End the session after an unexpected failure of the message source, so no flow is left busy. */
  #abandon(error: unknown): void {
    closeChunks(this.#chunks);
    this.session.fail(bodyFailureResult({ kind: "read-failed", error: asReadError(error) }));
  }

  /** Deliver SMTP_SEND_MESSAGE with the transport already idle, so the callback may send again. */
  #finish(result: IXPRESULT): void {
    closeChunks(this.#chunks);
    this.session.flowActive = false;
    this.session.onTeardown = null;
    this.session.callbacks.response(
      makeResponse(SMTP_SEND_MESSAGE, true, result, this.session.transport),
    );
  }
}

function firstNulOffset(first: IteratorResult<Uint8Array>): number {
  return first.done === true ? -1 : first.value.indexOf(0);
}
