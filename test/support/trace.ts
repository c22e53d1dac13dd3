import { hresultName } from "../../src/compat/names.js";
import {
  formatCommand,
  formatError,
  formatHr,
  formatResponse,
  formatStatus,
} from "../../src/compat/trace-format.js";
import { IXP_DISCONNECTED } from "../../src/imnxport/enums.js";
import { S_OK } from "../../src/imnxport/hresults.js";
import type {
  IInternetTransport,
  ISMTPCallback,
  ISMTPTransport2,
} from "../../src/imnxport/interfaces.js";
import type { INETSERVER, IXPRESULT, SMTPRESPONSE } from "../../src/imnxport/structs.js";

export { formatHr };

/**
 * An ISMTPCallback that writes every callback as one line of a golden trace, in the notation of
 * the behavior reference:
 *
 *   status IXP_CONNECTED
 *   send "MAIL FROM:<a@x>\r\n"
 *   resp "250 2.1.0 Ok" 0x000CCC74
 *   R{SMTP_MAIL, TRUE, 0x000CCC74, 250, "250 2.1.0 Ok"}
 *   error{IXP_CONNECTED, 0x800CCC0F, 451, "451 ...", socket 10054}
 *
 * Transport calls made through `call` appear as `Name(args) → HRESULT`; callbacks fired before
 * such a call returns are indented under it and marked `(sync)`. Hooks let a scenario call the
 * transport back from inside a callback, as ported code does.
 */
export class TraceRecorder implements ISMTPCallback {
  readonly lines: string[] = [];
  readonly responses: SMTPRESPONSE[] = [];
  readonly errors: IXPRESULT[] = [];
  /** Called after a response is recorded; may call the transport through `call`. */
  onResponse: ((response: SMTPRESPONSE) => void) | null = null;
  onStatus: ((status: number) => void) | null = null;
  onError: ((status: number) => void) | null = null;
  onCommand: ((cmdtype: number, line: string) => void) | null = null;
  /** The value OnTimeout returns. The function may also change the box it receives. */
  timeoutAnswer: (box: { value: number }) => number | Promise<number> = () => 1;
  #depth = 0;
  #disconnects = 0;
  #waiters: Array<() => void> = [];

  constructor(readonly transport: ISMTPTransport2) {}

  /** Call a transport method and record it with its HRESULT. */
  call(label: string, invoke: () => number): number {
    const index = this.lines.length;
    this.lines.push("");
    this.#depth += 1;
    let hr: number;
    try {
      hr = invoke();
    } finally {
      this.#depth -= 1;
    }
    this.lines[index] = `${"  ".repeat(this.#depth)}${label} → ${formatHr(hr)}`;
    return hr;
  }

  /** Resolve once IXP_DISCONNECTED has been reported `count` times in all. */
  async disconnected(count = 1): Promise<void> {
    while (this.#disconnects < count) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Resolve once a line matching `pattern` has been recorded. */
  async waitFor(pattern: RegExp): Promise<void> {
    while (!this.lines.some((line) => pattern.test(line))) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  OnTimeout(
    pdwTimeout: { value: number },
    _pTransport: IInternetTransport,
  ): number | Promise<number> {
    this.#record(`timeout ${pdwTimeout.value}s`);
    return this.timeoutAnswer(pdwTimeout);
  }

  OnLogonPrompt(
    _pInetServer: INETSERVER,
    _pTransport: IInternetTransport,
  ): number | Promise<number> {
    this.#record("logon-prompt");
    return 1;
  }

  OnPrompt(
    hrError: number,
    _pszText: string,
    _pszCaption: string,
    uType: number,
  ): number | Promise<number> {
    this.#record(`prompt ${formatHr(hrError)} type ${uType}`);
    return 7;
  }

  OnStatus(ixpstatus: number, pTransport: IInternetTransport): number {
    checkTransport(pTransport, this.transport);
    this.#record(formatStatus(ixpstatus));
    if (ixpstatus === IXP_DISCONNECTED) {
      this.#disconnects += 1;
    }
    this.onStatus?.(ixpstatus);
    this.#wake();
    return S_OK;
  }

  OnError(ixpstatus: number, pResult: IXPRESULT, pTransport: IInternetTransport): number {
    checkTransport(pTransport, this.transport);
    this.errors.push(pResult);
    this.#record(formatError(ixpstatus, pResult));
    this.onError?.(ixpstatus);
    return S_OK;
  }

  OnCommand(
    cmdtype: number,
    pszLine: string,
    hrResponse: number,
    pTransport: IInternetTransport,
  ): number {
    checkTransport(pTransport, this.transport);
    this.#record(formatCommand(cmdtype, pszLine, hrResponse));
    this.onCommand?.(cmdtype, pszLine);
    return S_OK;
  }

  OnResponse(pResponse: SMTPRESPONSE): number {
    checkTransport(pResponse.pTransport, this.transport);
    this.responses.push(pResponse);
    this.#record(formatResponse(pResponse));
    this.onResponse?.(pResponse);
    this.#wake();
    return S_OK;
  }

  #record(line: string): void {
    const sync = this.#depth > 0 ? " (sync)" : "";
    this.lines.push(`${"  ".repeat(this.#depth)}${line}${sync}`);
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) {
      setImmediate(wake);
    }
  }
}

function checkTransport(actual: unknown, expected: unknown): void {
  if (actual !== expected) {
    throw new Error("callback received a pTransport that is not the transport");
  }
}

/** Return the IDL name of an HRESULT, for assertion messages. */
export function nameOf(hr: number): string {
  return hresultName(hr) ?? formatHr(hr);
}
