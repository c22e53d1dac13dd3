import { SMTPCallbackBase } from "../compat/callback-base.js";
import { formatHresult } from "../compat/names.js";
import {
  formatCommand,
  formatError,
  formatHr,
  formatResponse,
  formatStatus,
} from "../compat/trace-format.js";
import { createSMTPTransport, type TransportOptions } from "../compat/transport.js";
import { IDNO } from "../imnxport/constants.js";
import {
  type CMDTYPE,
  IXP_DISCONNECTED,
  type IXPSTATUS,
  SMTP_CONNECTED,
  SMTP_SEND_MESSAGE,
  SMTP_SEND_STREAM,
} from "../imnxport/enums.js";
import { FAILED, type HRESULT, S_FALSE, S_OK } from "../imnxport/hresults.js";
import type { IInternetTransport, ISMTPTransport2 } from "../imnxport/interfaces.js";
import type { INETSERVER, IXPRESULT, SMTPMESSAGE, SMTPRESPONSE } from "../imnxport/structs.js";

/** One SMTP session of the CLI: Connect, SendMessage, CommandQUIT, as Outlook Express code ran it. */
export interface SessionPlan {
  server: INETSERVER;
  authenticate: boolean;
  message: SMTPMESSAGE;
  /** InitNew's protocol log file, or null. */
  logFile: string | null;
  transportOptions: TransportOptions;
  /** Receives each callback as a trace line; null turns tracing and OnCommand off. */
  trace: ((line: string) => void) | null;
  /** Receives body progress from SMTP_SEND_STREAM: bytes read so far and the total. */
  progress: ((current: number, total: number, done: boolean) => void) | null;
}

/** The end state of a session. */
export interface SessionOutcome {
  /** The HRESULT of InitNew, or of Connect when InitNew succeeded. A failure means nothing was sent. */
  setupHr: HRESULT;
  /** SMTP_SEND_MESSAGE's result, or null when the message never finished. */
  sent: IXPRESULT | null;
  /** The first failure: a failed call, OnError, or a failed SMTP_SEND_MESSAGE. */
  failure: IXPRESULT | null;
  /** The text of OnPrompt's question (a certificate problem), answered IDNO. */
  prompt: string | null;
}

/** Build the IXPRESULT of a call that failed before any reply. */
export function callFailure(hr: HRESULT): IXPRESULT {
  return {
    hrResult: hr,
    pszResponse: null,
    uiServerError: 0,
    hrServerError: S_OK,
    dwSocketError: 0,
    pszProblem: null,
  };
}

/**
 * Drives the transport from its callbacks: SendMessage from OnResponse(SMTP_CONNECTED),
 * CommandQUIT from OnResponse(SMTP_SEND_MESSAGE). Calls made through `call` are traced as
 * `Name(args) → HRESULT`, and callbacks fired inside them are indented and marked `(sync)`,
 * the notation of the golden traces and the behavior reference.
 */
class SessionCallback extends SMTPCallbackBase {
  sent: IXPRESULT | null = null;
  failure: IXPRESULT | null = null;
  prompt: string | null = null;
  readonly done: Promise<void>;
  #finish: () => void = () => {};
  #pending: string[] | null = null;

  constructor(
    private readonly transport: ISMTPTransport2,
    private readonly plan: SessionPlan,
  ) {
    super();
    this.done = new Promise((resolve) => {
      this.#finish = resolve;
    });
  }

  /** Call the transport and trace the call with its HRESULT, above what fired inside it. */
  call(label: string, invoke: () => HRESULT): HRESULT {
    const outer = this.#pending;
    this.#pending = [];
    let hr: HRESULT = S_OK;
    try {
      hr = invoke();
    } finally {
      const inside = this.#pending;
      this.#pending = outer;
      this.#trace(`${label} → ${formatHr(hr)}`);
      for (const line of inside ?? []) {
        this.#trace(`  ${line} (sync)`);
      }
    }
    return hr;
  }

  override OnTimeout(box: { value: number }, _transport: IInternetTransport): HRESULT {
    this.#trace(`timeout ${box.value}s`);
    return S_FALSE;
  }

  override OnPrompt(hrError: HRESULT, text: string, _caption: string, type: number): number {
    this.#trace(`prompt ${formatHresult(hrError)} type ${type}`);
    this.prompt = text;
    return IDNO;
  }

  override OnStatus(status: IXPSTATUS): HRESULT {
    this.#trace(formatStatus(status));
    if (status === IXP_DISCONNECTED) {
      this.#finish();
    }
    return S_OK;
  }

  override OnError(status: IXPSTATUS, result: IXPRESULT): HRESULT {
    this.#trace(formatError(status, result));
    this.failure ??= { ...result };
    return S_OK;
  }

  override OnCommand(cmdtype: CMDTYPE, line: string, hr: HRESULT): HRESULT {
    this.#trace(formatCommand(cmdtype, line, hr));
    return S_OK;
  }

  override OnResponse(response: SMTPRESPONSE): HRESULT {
    this.#trace(formatResponse(response));
    if (response.command === SMTP_SEND_STREAM) {
      const stream = response.rStreamInfo;
      this.plan.progress?.(stream.cbCurrent, stream.cbTotal, response.fDone);
    }

    if (!response.fDone) {
      return S_OK;
    }

    if (response.command === SMTP_CONNECTED) {
      this.#callOrDrop("SendMessage(message)", () => this.transport.SendMessage(this.plan.message));
    } else if (response.command === SMTP_SEND_MESSAGE) {
      this.sent = { ...response.rIxpResult };
      if (FAILED(response.rIxpResult.hrResult)) {
        this.failure ??= this.sent;
      }
      this.#callOrDrop("CommandQUIT()", () => this.transport.CommandQUIT());
    }
    return S_OK;
  }

  #callOrDrop(label: string, invoke: () => HRESULT): void {
    const hr = this.call(label, invoke);
    if (FAILED(hr)) {
      this.failure ??= callFailure(hr);
      this.transport.DropConnection();
    }
  }

  #trace(line: string): void {
    if (this.#pending !== null) {
      this.#pending.push(line);
      return;
    }

    this.plan.trace?.(line);
  }
}

/** Run one session and resolve once the transport has reported IXP_DISCONNECTED. */
export async function runSession(plan: SessionPlan): Promise<SessionOutcome> {
  const transport = createSMTPTransport(plan.transportOptions);
  const callback = new SessionCallback(transport, plan);
  try {
    const init = transport.InitNew(plan.logFile, callback);
    if (FAILED(init)) {
      return { setupHr: init, sent: null, failure: callFailure(init), prompt: null };
    }

    const args = `server, ${plan.authenticate ? "TRUE" : "FALSE"}, ${plan.trace ? "TRUE" : "FALSE"}`;
    const hr = callback.call(`Connect(${args})`, () =>
      transport.Connect(plan.server, plan.authenticate, plan.trace !== null),
    );
    if (FAILED(hr)) {
      return { setupHr: hr, sent: null, failure: callFailure(hr), prompt: null };
    }

    await callback.done;
    return {
      setupHr: hr,
      sent: callback.sent,
      failure: callback.failure,
      prompt: callback.prompt,
    };
  } finally {
    transport.Release();
  }
}
