import { SMTPCallbackBase } from "../compat/callback-base.js";
import { createSMTPTransport } from "../compat/transport.js";
import {
  IXP_DISCONNECTED,
  type IXPSTATUS,
  SMTP_CONNECTED,
  SMTP_SEND_MESSAGE,
} from "../imnxport/enums.js";
import { FAILED, type HRESULT, S_OK } from "../imnxport/hresults.js";
import type { ISMTPTransport2 } from "../imnxport/interfaces.js";
import type { IXPRESULT, SMTPRESPONSE } from "../imnxport/structs.js";
import {
  type ConnectOptions,
  checkConnectOptions,
  checkSendOptions,
  inetServer,
  type SendOptions,
  smtpMessage,
} from "./client-options.js";
import { openMessage } from "./message-input.js";
import { ResponseChannel, type SMTPResponseEvent, toResponseEvent } from "./response-events.js";
import { CONNECTION_CLOSED, SMTPError } from "./smtp-error.js";

export type { ConnectOptions, SendOptions };

/** The server's acceptance of a message: its reply to the final dot. */
export interface SendResult {
  /** The reply line, such as `250 2.0.0 Ok: queued as 4F1C2`. */
  response: string;
  /** The reply code, 250. */
  code: number;
  /** The HRESULT of SMTP_SEND_MESSAGE: S_OK. */
  hresult: number;
}

type Operation =
  | { kind: "Connect"; resolve: () => void; reject: (error: unknown) => void }
  | { kind: "SendMessage"; resolve: (result: SendResult) => void; reject: (error: unknown) => void }
  | { kind: "CommandQUIT"; resolve: () => void; reject: (error: unknown) => void };

/** Forwards the three callbacks the client needs; the others keep SMTPCallbackBase's defaults. */
class ClientCallback extends SMTPCallbackBase {
  constructor(
    private readonly handlers: {
      status(status: IXPSTATUS): void;
      error(result: IXPRESULT): void;
      response(response: SMTPRESPONSE): void;
    },
  ) {
    super();
  }

  override OnStatus(status: IXPSTATUS): HRESULT {
    this.handlers.status(status);
    return S_OK;
  }

  override OnError(_status: IXPSTATUS, result: IXPRESULT): HRESULT {
    this.handlers.error(result);
    return S_OK;
  }

  override OnResponse(response: SMTPRESPONSE): HRESULT {
    this.handlers.response(response);
    return S_OK;
  }
}

/**
 * A promise-based SMTP session over the same transport as the IDL-shaped API
 * (`createSMTPTransport`). It is this package's extension: Outlook Express had no such interface.
 *
 * Sends run one at a time in the order they were called. A timeout gives up at once
 * (OnTimeout returns S_FALSE), and the pending call rejects with `IXP_E_TIMEOUT`.
 */
export class SMTPClient {
  readonly #transport: ISMTPTransport2;
  readonly #channel = new ResponseChannel();
  readonly #connectResponses: SMTPResponseEvent[] = [];
  readonly #closed: Promise<void>;
  readonly #signal: AbortSignal | undefined;
  #markClosed: () => void = () => {};
  #operation: Operation | null = null;
  #lastError: IXPRESULT | null = null;
  #abortReason: unknown = undefined;
  #aborted = false;
  #connected = false;
  #disconnected = false;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(options: ConnectOptions) {
    this.#transport = createSMTPTransport({
      ...(options.clientName === undefined ? {} : { clientName: options.clientName }),
      ...(options.ca === undefined ? {} : { tls: { ca: options.ca } }),
      ...(options.allowCleartextAuth === true ? { allowCleartextAuth: true } : {}),
    });
    this.#signal = options.signal;
    this.#closed = new Promise((resolve) => {
      this.#markClosed = resolve;
    });
    this.#transport.InitNew(
      options.logFile ?? null,
      new ClientCallback({
        status: (status) => this.#onStatus(status),
        error: (result) => this.#onError(result),
        response: (response) => this.#onResponse(response),
      }),
    );
  }

  /** Connect to the server and resolve once the session is ready; see {@link connect}. */
  static connect(options: ConnectOptions): Promise<SMTPClient> {
    try {
      checkConnectOptions(options);
      options.signal?.throwIfAborted();
      return new SMTPClient(options).#open(options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** True from SMTP_CONNECTED (the session is ready) until the connection closes. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Resolves once the connection has closed, for whatever reason. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** The responses of the session's setup: greeting, HELO or EHLO reply, AUTH, SMTP_CONNECTED. */
  get connectResponses(): readonly SMTPResponseEvent[] {
    return this.#connectResponses;
  }

  /**
   * Send one message. Resolves with the server's reply to the final dot, and rejects with an
   * {@link SMTPError} carrying the transport's HRESULT: `IXP_E_SMTP_REJECTED_SENDER` (0x800CCC78)
   * when MAIL FROM is refused, `IXP_E_SMTP_REJECTED_RECIPIENTS` (0x800CCC79, the address in
   * `problem`) when a recipient is, the reply's own code for DATA and the dot, or
   * `IXP_E_CONNECTION_DROPPED` when the connection is lost. A rejected message leaves the
   * session usable. A file that cannot be opened rejects with the `fs` error.
   */
  send(options: SendOptions): Promise<SendResult> {
    const result = this.#queue.then(() => this.#send(options));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Send QUIT after any pending send, and resolve once the connection has closed. It never
   * rejects: a server that closes without its 221, or a QUIT that times out, still ends the
   * session.
   */
  async quit(): Promise<void> {
    await this.#queue;
    if (this.#disconnected) {
      return;
    }

    await new Promise<void>((resolve, reject) => {
      this.#begin({ kind: "CommandQUIT", resolve, reject });
      if (FAILED(this.#transport.CommandQUIT())) {
        this.#transport.DropConnection();
        this.#settleWithoutReport();
      }
    });
  }

  /**
   * Yield each OnResponse from now until the connection closes, as it arrives: reply lines, body
   * progress (SMTP_SEND_STREAM) and the end of each message (SMTP_SEND_MESSAGE). Responses from
   * before the call are not repeated; the setup's are in {@link connectResponses}.
   */
  events(): AsyncIterable<SMTPResponseEvent> {
    return this.#channel.subscribe();
  }

  #open(options: ConnectOptions): Promise<SMTPClient> {
    return new Promise((resolve, reject) => {
      this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
      this.#begin({ kind: "Connect", resolve: () => resolve(this), reject });
      const hr = this.#transport.Connect(inetServer(options), options.auth !== undefined, false);
      if (FAILED(hr)) {
        this.#operation = null;
        this.#signal?.removeEventListener("abort", this.#onAbort);
        this.#disconnected = true;
        this.#channel.close();
        this.#markClosed();
        reject(SMTPError.fromHresult("Connect", hr));
      }
    });
  }

  async #send(options: SendOptions): Promise<SendResult> {
    if (this.#aborted) {
      throw this.#abortReason;
    }

    const message = openMessage(checkSendOptions(options).message);
    try {
      return await new Promise<SendResult>((resolve, reject) => {
        this.#begin({ kind: "SendMessage", resolve, reject });
        const hr = this.#transport.SendMessage(smtpMessage(options, message.source));
        if (FAILED(hr)) {
          this.#operation = null;
          reject(SMTPError.fromHresult("SendMessage", hr));
        }
      });
    } finally {
      message.close();
    }
  }

  #begin(operation: Operation): void {
    this.#lastError = null;
    this.#operation = operation;
  }

  #onResponse(response: SMTPRESPONSE): void {
    const event = toResponseEvent(response);
    if (!this.#connected) {
      this.#connectResponses.push(event);
    }
    this.#channel.publish(event);

    const operation = this.#operation;
    if (!response.fDone || operation === null) {
      return;
    }

    if (response.command === SMTP_CONNECTED && operation.kind === "Connect") {
      this.#operation = null;
      this.#connected = true;
      operation.resolve();
    } else if (response.command === SMTP_SEND_MESSAGE && operation.kind === "SendMessage") {
      this.#operation = null;
      settleSend(operation, response.rIxpResult);
    }
  }

  #onError(result: IXPRESULT): void {
    this.#lastError = { ...result };
  }

  #onStatus(status: IXPSTATUS): void {
    if (status !== IXP_DISCONNECTED) {
      return;
    }

    this.#connected = false;
    this.#disconnected = true;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#channel.close();
    this.#markClosed();
    this.#settleWithoutReport();
  }

  /** Settle the pending operation when the connection closed before its completing response. */
  #settleWithoutReport(): void {
    const operation = this.#operation;
    this.#operation = null;
    if (operation === null) {
      return;
    }

    if (this.#aborted) {
      operation.reject(this.#abortReason);
    } else if (operation.kind === "CommandQUIT") {
      operation.resolve();
    } else {
      operation.reject(new SMTPError(operation.kind, this.#lastError ?? CONNECTION_CLOSED));
    }
  }

  readonly #onAbort = (): void => {
    this.#aborted = true;
    this.#abortReason = this.#signal?.reason;
    this.#transport.DropConnection();
    this.#settleWithoutReport();
  };
}

/**
 * Open an SMTP session with the promise API: Connect, the greeting, HELO (EHLO with TLS) and
 * STARTTLS when asked for, resolving once the session is ready.
 *
 * Rejects with an {@link SMTPError}: `IXP_E_FAILED_TO_CONNECT` (0x800CCC0E) with the Winsock
 * error for a refused or unreachable server, `IXP_E_CANT_FIND_HOST` for an unknown host name,
 * the reply's own code when the server refuses the greeting or HELO, a TLS code, or
 * `IXP_E_TIMEOUT`. Invalid options reject with a TypeError.
 */
export function connect(options: ConnectOptions): Promise<SMTPClient> {
  return SMTPClient.connect(options);
}

function settleSend(
  operation: Extract<Operation, { kind: "SendMessage" }>,
  result: IXPRESULT,
): void {
  if (FAILED(result.hrResult)) {
    operation.reject(new SMTPError("SendMessage", result));
    return;
  }

  operation.resolve({
    response: result.pszResponse ?? "",
    code: result.uiServerError,
    hresult: result.hrResult >>> 0,
  });
}
