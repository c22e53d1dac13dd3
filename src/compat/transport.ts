import { ISF_SMTP_USEIPFORHELO } from "../imnxport/constants.js";
import {
  IXP_DISCONNECTED,
  IXP_IS_AUTHENTICATED,
  IXP_IS_BUSY,
  IXP_IS_CONNECTED,
  IXP_IS_READY,
  IXP_SMTP,
  type IXPISSTATE,
  type IXPSTATUS,
  type IXPTYPE,
  SMTP_CUSTOM,
  SMTP_DATA,
  SMTP_EHLO,
  SMTP_HELO,
  SMTP_MAIL,
  SMTP_RCPT,
  SMTP_RSET,
  type SMTPCOMMAND,
} from "../imnxport/enums.js";
import type { GUID } from "../imnxport/guids.js";
import {
  E_INVALIDARG,
  E_NOTIMPL,
  E_UNEXPECTED,
  type HRESULT,
  IXP_E_ALREADY_CONNECTED,
  IXP_E_NOT_CONNECTED,
  IXP_E_NOT_INIT,
  IXP_E_SMTP_530_STARTTLS_REQUIRED,
  S_FALSE,
  S_OK,
} from "../imnxport/hresults.js";
import type { ISMTPCallback, ISMTPTransport2 } from "../imnxport/interfaces.js";
import type { INETSERVER, MessageSource, SMTPMESSAGE, SMTPMESSAGE2 } from "../imnxport/structs.js";
import { isMessageSource } from "./body/message-source.js";
import { CallbackDispatcher } from "./callback-dispatcher.js";
import { isSMTPTransportIID, queryObjectInterface, ReferenceCount } from "./com/unknown.js";
import { customCommandLine } from "./custom-command.js";
import { ProtocolLog } from "./log/protocol-log.js";
import { runCommandAuth } from "./session/command-auth.js";
import { ConnectAuthenticator, mayAuthenticate } from "./session/connect-auth.js";
import { ConnectFlow } from "./session/connect-flow.js";
import { type ConnectPlan, clientNameFor, planConnect } from "./session/connect-plan.js";
import { sendDataStream } from "./session/data-stream-flow.js";
import { DEFAULT_TIMEOUT_SECONDS } from "./session/deadline.js";
import { isSupportedMechanism } from "./session/mechanisms.js";
import { dsnEnvelopeFields, isUsableDsnRequest, MessageFlow } from "./session/message-flow.js";
import { type Reply, Session } from "./session/session.js";
import {
  commandState,
  dataState,
  sendDot,
  sendQuit,
  sendSingle,
} from "./session/single-commands.js";
import {
  checkEnvelope,
  isTrue,
  isUsableCallback,
  isUsableLogPath,
  isUsableMessage,
  isUsableServer,
} from "./transport-checks.js";
import {
  type ResolvedOptions,
  resolveOptions,
  type TransportOptions,
} from "./transport-options.js";
import { checkMailbox, checkReversePath, checkSaslMechanism } from "./wire/address.js";
import { data, dsnNotifyParam, ehlo, helo, mailFrom, rcptTo, rset } from "./wire/commands.js";

export type { TransportOptions } from "./transport-options.js";

/**
 * The SMTP transport, Outlook Express's ISMTPTransport2 on Node sockets.
 *
 * Every method returns its HRESULT at once. Replies arrive later on the event loop, through the
 * ISMTPCallback given to InitNew.
 */
export class SMTPTransport implements ISMTPTransport2 {
  readonly #callbacks = new CallbackDispatcher(this);
  readonly #session: Session;
  readonly #options: ResolvedOptions;
  readonly #references = new ReferenceCount(() => this.#finalRelease());
  #log: ProtocolLog | null = null;
  #initialized = false;
  #server: INETSERVER | null = null;
  #connectFlow: ConnectFlow | null = null;

  constructor(options: TransportOptions = {}) {
    this.#options = resolveOptions(options);
    this.#session = new Session(this, this.#callbacks, this.#options.network);
  }

  // IUnknown

  QueryInterface(riid: GUID, ppvObject: { value: unknown }): HRESULT {
    return queryObjectInterface(this, isSMTPTransportIID, riid, ppvObject);
  }

  AddRef(): number {
    return this.#references.addRef();
  }

  /**
   * Releases a reference. The final Release drops the connection if one is open
   * (IXP_DISCONNECTED is still reported), then releases the callback and closes the log file.
   * The object then stays uninitialized, where native COM would have used freed memory. InitNew
   * returns E_UNEXPECTED, and the other methods return IXP_E_NOT_INIT or what their state check
   * gives on an uninitialized transport.
   */
  Release(): number {
    return this.#references.release();
  }

  // IInternetTransport

  GetServerInfo(pInetServer: INETSERVER): HRESULT {
    if (typeof pInetServer !== "object" || pInetServer === null) {
      return E_INVALIDARG;
    }

    if (this.#server === null) {
      return IXP_E_NOT_CONNECTED;
    }

    Object.assign(pInetServer, this.#server, { szPassword: "" });
    return S_OK;
  }

  GetIXPType(): IXPTYPE {
    return IXP_SMTP;
  }

  IsState(isstate: IXPISSTATE): HRESULT {
    const session = this.#session;
    switch (isstate) {
      case IXP_IS_CONNECTED:
        return session.connected ? S_OK : S_FALSE;
      case IXP_IS_BUSY:
        return session.busy || session.dataMode ? S_OK : S_FALSE;
      case IXP_IS_READY:
        return this.#commandState() === S_OK ? S_OK : S_FALSE;
      case IXP_IS_AUTHENTICATED:
        return session.authenticated ? S_OK : S_FALSE;
      default:
        return E_INVALIDARG;
    }
  }

  InetServerFromAccount(_pAccount: unknown, _pInetServer: INETSERVER): HRESULT {
    return E_NOTIMPL;
  }

  Connect(
    pInetServer: INETSERVER,
    fAuthenticate: boolean | 0 | 1,
    fCommandLogging: boolean | 0 | 1,
  ): HRESULT {
    if (!isUsableServer(pInetServer)) {
      return E_INVALIDARG;
    }

    if (!this.#initialized) {
      return IXP_E_NOT_INIT;
    }

    if (this.#session.status !== IXP_DISCONNECTED) {
      return IXP_E_ALREADY_CONNECTED;
    }

    const server: INETSERVER = { ...pInetServer };
    this.#server = server;
    this.#session.timeoutSeconds =
      server.dwTimeout > 0 ? server.dwTimeout : DEFAULT_TIMEOUT_SECONDS;
    this.#callbacks.setCommandLogging(isTrue(fCommandLogging));
    this.#log?.start();

    const plan = planConnect({
      server,
      authenticate: isTrue(fAuthenticate),
      clientName: this.#options.clientName,
      tlsOptions: this.#options.tls,
    });
    if (isTrue(fAuthenticate)) {
      const reconnect = (): void => this.#startConnectFlow(plan);
      const authenticator = new ConnectAuthenticator(
        this.#session,
        server,
        this.#options.auth,
        reconnect,
      );
      plan.afterHello = (flow) => authenticator.run(flow);
    }

    this.#startConnectFlow(plan);
    return S_OK;
  }

  #startConnectFlow(plan: ConnectPlan): void {
    const flow = new ConnectFlow(this.#session, plan);
    this.#connectFlow = flow;
    flow.start();
  }

  HandsOffCallback(): HRESULT {
    return this.#callbacks.release() ? S_OK : S_FALSE;
  }

  Disconnect(): HRESULT {
    if (!this.#initialized) {
      return IXP_E_NOT_INIT;
    }

    const session = this.#session;
    if (session.status === IXP_DISCONNECTED) {
      return IXP_E_NOT_CONNECTED;
    }

    if (session.quitting) {
      return S_OK;
    }

    if (this.#commandState() !== S_OK) {
      return this.DropConnection();
    }

    sendQuit(this.#session);
    return S_OK;
  }

  DropConnection(): HRESULT {
    if (!this.#initialized) {
      return IXP_E_NOT_INIT;
    }

    if (this.#session.status === IXP_DISCONNECTED) {
      return S_OK;
    }

    this.#connectFlow?.cancel();
    this.#session.drop();
    return S_OK;
  }

  GetStatus(pCurrentStatus: { value: IXPSTATUS }): HRESULT {
    if (typeof pCurrentStatus !== "object" || pCurrentStatus === null) {
      return E_INVALIDARG;
    }

    pCurrentStatus.value = this.#session.status;
    return S_OK;
  }

  // ISMTPTransport

  InitNew(pszLogFilePath: string | null, pCallback: ISMTPCallback): HRESULT {
    if (!isUsableCallback(pCallback) || !isUsableLogPath(pszLogFilePath)) {
      return E_INVALIDARG;
    }

    if (this.#references.released) {
      return E_UNEXPECTED;
    }

    if (this.#session.status !== IXP_DISCONNECTED) {
      return IXP_E_ALREADY_CONNECTED;
    }

    this.#log?.close();
    this.#log =
      typeof pszLogFilePath === "string" && pszLogFilePath !== ""
        ? new ProtocolLog(pszLogFilePath, this.#options.clock)
        : null;
    this.#callbacks.setProtocolLog(this.#log);
    this.#callbacks.attach(pCallback);
    this.#initialized = true;
    return S_OK;
  }

  SendMessage(pMessage: SMTPMESSAGE): HRESULT {
    if (!isUsableMessage(pMessage)) {
      return E_INVALIDARG;
    }

    return this.#sendMessage(pMessage, null);
  }

  #sendMessage(pMessage: SMTPMESSAGE, dsnRequest: SMTPMESSAGE2 | null): HRESULT {
    const state = this.#commandState();
    if (state !== S_OK) {
      return state;
    }

    const envelope = checkEnvelope(pMessage);
    if (!envelope.ok) {
      return envelope.hr;
    }

    const flow = new MessageFlow(this.#session, {
      from: envelope.from,
      recipients: envelope.recipients,
      source: pMessage.pstmMsg,
      cbSize: pMessage.cbSize,
      pipelined: this.#options.pipelining && this.#serverLists("PIPELINING"),
      ...(dsnRequest === null ? {} : dsnEnvelopeFields(dsnRequest, this.#serverLists("DSN"))),
    });
    flow.start();
    return S_OK;
  }

  CommandMAIL(pszEmailFrom: string): HRESULT {
    const check = typeof pszEmailFrom === "string" ? checkReversePath(pszEmailFrom) : null;
    if (check === null || !check.ok) {
      return E_INVALIDARG;
    }

    return this.#single(SMTP_MAIL, mailFrom(check.mailbox));
  }

  CommandRCPT(pszEmailTo: string): HRESULT {
    const check = typeof pszEmailTo === "string" ? checkMailbox(pszEmailTo) : null;
    if (check === null || !check.ok) {
      return E_INVALIDARG;
    }

    return this.#single(SMTP_RCPT, rcptTo(check.mailbox));
  }

  CommandEHLO(): HRESULT {
    return this.#single(SMTP_EHLO, () => ehlo(this.#helloName()));
  }

  CommandHELO(): HRESULT {
    return this.#single(SMTP_HELO, () => helo(this.#helloName()));
  }

  CommandAUTH(pszAuthType: string): HRESULT {
    const check = typeof pszAuthType === "string" ? checkSaslMechanism(pszAuthType) : null;
    if (check === null || !check.ok) {
      return E_INVALIDARG;
    }

    const state = this.#commandState();
    if (state !== S_OK) {
      return state;
    }

    if (!isSupportedMechanism(check.mechanism, this.#options.auth)) {
      return E_NOTIMPL;
    }

    if (!mayAuthenticate(this.#session, this.#options.auth)) {
      return IXP_E_SMTP_530_STARTTLS_REQUIRED;
    }

    return runCommandAuth(this.#session, check.mechanism, this.#server, this.#options.auth);
  }

  CommandQUIT(): HRESULT {
    const state = this.#commandState();
    if (state !== S_OK) {
      return state;
    }

    sendQuit(this.#session);
    return S_OK;
  }

  CommandRSET(): HRESULT {
    return this.#single(SMTP_RSET, rset());
  }

  CommandDATA(): HRESULT {
    return this.#single(SMTP_DATA, data(), (reply) => {
      this.#session.dataMode = reply.kind === "success";
    });
  }

  CommandDOT(): HRESULT {
    const state = dataState(this.#session, this.#initialized);
    if (state !== S_OK) {
      return state;
    }

    sendDot(this.#session);
    return S_OK;
  }

  SendDataStream(pStream: MessageSource, cbSize: number): HRESULT {
    if (!isMessageSource(pStream) || !Number.isInteger(cbSize) || cbSize < 0) {
      return E_INVALIDARG;
    }

    const state = dataState(this.#session, this.#initialized);
    if (state !== S_OK) {
      return state;
    }

    void sendDataStream(this.#session, pStream, cbSize);
    return S_OK;
  }

  // ISMTPTransport2

  SetWindow(): HRESULT {
    return S_OK;
  }

  ResetWindow(): HRESULT {
    return S_OK;
  }

  SendMessage2(pMessage: SMTPMESSAGE2): HRESULT {
    if (
      typeof pMessage !== "object" ||
      pMessage === null ||
      !isUsableMessage(pMessage.smtpMsg) ||
      !isUsableDsnRequest(pMessage)
    ) {
      return E_INVALIDARG;
    }

    return this.#sendMessage(pMessage.smtpMsg, pMessage);
  }

  /**
   * Send a command the IDL has no method for: NOOP, VRFY, EXPN, HELP or ETRN, with its
   * argument. An extension of this package, outside ISMTPTransport2: each reply line is
   * reported as SMTP_CUSTOM, and the checks and return codes are those of the Command*
   * methods (E_INVALIDARG for another verb or a control character).
   */
  sendCommand(command: string): HRESULT {
    const check = customCommandLine(command);
    if (!check.ok) {
      return E_INVALIDARG;
    }

    return this.#single(SMTP_CUSTOM, check.line);
  }

  CommandRCPT2(pszEmailTo: string, atDSN: number): HRESULT {
    const check = typeof pszEmailTo === "string" ? checkMailbox(pszEmailTo) : null;
    if (check === null || !check.ok || !Number.isInteger(atDSN)) {
      return E_INVALIDARG;
    }

    const notify = dsnNotifyParam(atDSN);
    return this.#single(SMTP_RCPT, rcptTo(check.mailbox, notify === null ? [] : [notify]));
  }

  #commandState(): HRESULT {
    return commandState(this.#session, this.#initialized);
  }

  /** Check the state, then write one command whose reply is reported as `command`. */
  #single(
    command: SMTPCOMMAND,
    line: string | (() => string),
    beforeResponse?: (reply: Reply) => void,
  ): HRESULT {
    const state = this.#commandState();
    if (state !== S_OK) {
      return state;
    }

    sendSingle(this.#session, command, typeof line === "string" ? line : line(), beforeResponse);
    return S_OK;
  }

  /** Whether the last EHLO reply of this connection listed an extension keyword. */
  #serverLists(keyword: string): boolean {
    return this.#connectFlow?.capabilities.has(keyword) === true;
  }

  /** Drop the connection, release the callback and close the log; the final Release. */
  #finalRelease(): void {
    if (this.#initialized) {
      this.DropConnection();
    }

    this.#callbacks.release();
    this.#callbacks.setProtocolLog(null);
    this.#log?.close();
    this.#log = null;
    this.#initialized = false;
  }

  #helloName(): string {
    const flags = this.#server?.dwFlags ?? 0;
    return clientNameFor(
      this.#options.clientName,
      (flags & ISF_SMTP_USEIPFORHELO) !== 0,
      this.#session.socket,
    );
  }
}

/** Create an SMTP transport, the way CoCreateInstance(CLSID_ISMTPTransport) did. */
export function createSMTPTransport(options?: TransportOptions): ISMTPTransport2 {
  return new SMTPTransport(options);
}
