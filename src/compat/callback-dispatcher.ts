import { IDNO } from "../imnxport/constants.js";
import { CMD_RESP, CMD_SEND, IXP_DISCONNECTED, type IXPSTATUS } from "../imnxport/enums.js";
import { type HRESULT, S_FALSE, S_OK } from "../imnxport/hresults.js";
import type { ISMTPCallback, ISMTPTransport } from "../imnxport/interfaces.js";
import type { INETSERVER, IXPRESULT, SMTPRESPONSE } from "../imnxport/structs.js";
import type { ProtocolLog } from "./log/protocol-log.js";

type CallbackMethod = keyof ISMTPCallback;

/**
 * Calls the caller's ISMTPCallback on behalf of one transport.
 *
 * Every call is guarded: a callback that throws or whose Promise rejects is reported once per
 * method with `process.emitWarning` and counts as the failure answer, so the state machine is
 * never left half-way. After `release()` (HandsOffCallback) nothing is called again.
 */
export class CallbackDispatcher {
  #callback: ISMTPCallback | null = null;
  #commandLogging = false;
  #protocolLog: ProtocolLog | null = null;
  readonly #warned = new Set<CallbackMethod>();

  constructor(private readonly transport: ISMTPTransport) {}

  get hasCallback(): boolean {
    return this.#callback !== null;
  }

  /** Install the callback given to InitNew, replacing any earlier one. */
  attach(callback: ISMTPCallback): void {
    this.#callback = callback;
  }

  /** Drop the callback; returns whether one was installed (HandsOffCallback's S_OK/S_FALSE). */
  release(): boolean {
    const had = this.#callback !== null;
    this.#callback = null;
    return had;
  }

  /** OnCommand fires only when Connect got fCommandLogging = TRUE. */
  setCommandLogging(enabled: boolean): void {
    this.#commandLogging = enabled;
  }

  /**
   * Send every protocol line to `log` (InitNew's log file), whether or not OnCommand is on. The
   * file is closed when IXP_DISCONNECTED is reported.
   */
  setProtocolLog(log: ProtocolLog | null): void {
    this.#protocolLog = log;
  }

  status(status: IXPSTATUS): void {
    if (status === IXP_DISCONNECTED) {
      // Closed before the callback runs, because OnStatus may Connect again and reopen it.
      this.#protocolLog?.close();
    }

    this.#invoke("OnStatus", (callback) => callback.OnStatus(status, this.transport));
  }

  error(status: IXPSTATUS, result: IXPRESULT): void {
    this.#invoke("OnError", (callback) => callback.OnError(status, result, this.transport));
  }

  response(response: SMTPRESPONSE): void {
    this.#invoke("OnResponse", (callback) => callback.OnResponse(response));
  }

  /** Report a line written to the server, CRLF included. */
  sent(line: string): void {
    this.#protocolLog?.sent(line);
    if (!this.#commandLogging) {
      return;
    }

    this.#invoke("OnCommand", (callback) =>
      callback.OnCommand(CMD_SEND, line, S_OK, this.transport),
    );
  }

  /** Report a line received from the server, without its line end. */
  received(line: string, hr: HRESULT): void {
    this.#protocolLog?.received(line);
    if (!this.#commandLogging) {
      return;
    }

    this.#invoke("OnCommand", (callback) => callback.OnCommand(CMD_RESP, line, hr, this.transport));
  }

  /** Ask whether to keep waiting; resolves to S_OK or S_FALSE (S_FALSE without a callback). */
  async timeout(box: { value: number }): Promise<HRESULT> {
    const answer = await this.#ask("OnTimeout", S_FALSE, (callback) =>
      callback.OnTimeout(box, this.transport),
    );
    return answer === S_OK ? S_OK : S_FALSE;
  }

  async logonPrompt(server: INETSERVER): Promise<HRESULT> {
    const answer = await this.#ask("OnLogonPrompt", S_FALSE, (callback) =>
      callback.OnLogonPrompt(server, this.transport),
    );
    return answer === S_OK ? S_OK : S_FALSE;
  }

  async prompt(hr: HRESULT, text: string, caption: string, type: number): Promise<number> {
    return this.#ask("OnPrompt", IDNO, (callback) =>
      callback.OnPrompt(hr, text, caption, type, this.transport),
    );
  }

  #invoke(method: CallbackMethod, call: (callback: ISMTPCallback) => unknown): void {
    const callback = this.#callback;
    if (callback === null) {
      return;
    }

    try {
      const result = call(callback);
      if (result instanceof Promise) {
        result.catch((error: unknown) => this.#warn(method, error));
      }
    } catch (error) {
      this.#warn(method, error);
    }
  }

  async #ask<T>(
    method: CallbackMethod,
    failure: T,
    call: (callback: ISMTPCallback) => T | Promise<T>,
  ): Promise<T> {
    const callback = this.#callback;
    if (callback === null) {
      return failure;
    }

    try {
      return await call(callback);
    } catch (error) {
      this.#warn(method, error);
      return failure;
    }
  }

  #warn(method: CallbackMethod, error: unknown): void {
    if (this.#warned.has(method)) {
      return;
    }

    this.#warned.add(method);
    const detail = error instanceof Error ? error.message : String(error);
    process.emitWarning(`ISMTPCallback.${method} threw and was treated as failed: ${detail}`, {
      code: "IMNXPORT_CALLBACK_THREW",
    });
  }
}
