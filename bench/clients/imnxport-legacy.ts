import {
  ADDR_FROM,
  ADDR_TO,
  BufferStream,
  createSMTPTransport,
  FAILED,
  formatHresult,
  type HRESULT,
  type INETSERVER,
  ISF_QUERYDSNSUPPORT,
  IXP_DISCONNECTED,
  type IXPRESULT,
  type IXPSTATUS,
  S_OK,
  SMTP_CONNECTED,
  SMTP_SEND_MESSAGE,
  SMTPCallbackBase,
  type SMTPMESSAGE,
  type SMTPRESPONSE,
} from "../../src/index.js";
import { GeneratedStream } from "../content.js";
import { type BenchClient, CLIENT_NAME, recipientsOf, SENDER, type SendPlan } from "./types.js";

/** Builds message `index` of a plan in the form SendMessage takes. */
function messageFor(plan: SendPlan, index: number): SMTPMESSAGE {
  const addresses = [
    { addrtype: ADDR_FROM, szEmail: SENDER },
    ...recipientsOf(plan, index).map((email) => ({ addrtype: ADDR_TO, szEmail: email })),
  ];
  const source =
    plan.body === null ? new GeneratedStream(plan.streamBytes) : new BufferStream(plan.body);
  return {
    cbSize: 0,
    pstmMsg: source,
    rAddressList: { cAddress: addresses.length, prgAddress: addresses },
  };
}

function describeResult(result: IXPRESULT): string {
  const reply = result.pszResponse === null ? "" : ` (server: ${result.pszResponse})`;
  const problem = result.pszProblem === null ? "" : ` ${result.pszProblem}`;
  return `${formatHresult(result.hrResult)}${problem}${reply}`;
}

/**
 * Drives ISMTPTransport the way Outlook Express code did: Connect with EHLO (the DSN query flag
 * turns it on), SendMessage from inside OnResponse(SMTP_CONNECTED), the next SendMessage from
 * inside OnResponse(SMTP_SEND_MESSAGE), and CommandQUIT after the last message.
 */
class SendingCallback extends SMTPCallbackBase {
  accepted = 0;
  failure: string | null = null;
  #next = 0;

  constructor(
    private readonly plan: SendPlan,
    private readonly finished: () => void,
  ) {
    super();
  }

  override OnResponse(pResponse: SMTPRESPONSE): HRESULT {
    if (!pResponse.fDone) {
      return S_OK;
    }

    if (pResponse.command === SMTP_SEND_MESSAGE) {
      if (FAILED(pResponse.rIxpResult.hrResult)) {
        this.failure ??= `SendMessage failed: ${describeResult(pResponse.rIxpResult)}`;
      } else {
        this.accepted += 1;
      }
    }

    if (pResponse.command === SMTP_CONNECTED || pResponse.command === SMTP_SEND_MESSAGE) {
      this.#sendNext(pResponse);
    }
    return S_OK;
  }

  override OnError(_ixpstatus: IXPSTATUS, pResult: IXPRESULT): HRESULT {
    this.failure ??= `OnError: ${describeResult(pResult)}`;
    return S_OK;
  }

  override OnStatus(ixpstatus: IXPSTATUS): HRESULT {
    if (ixpstatus === IXP_DISCONNECTED) {
      this.finished();
    }
    return S_OK;
  }

  #sendNext(pResponse: SMTPRESPONSE): void {
    const transport = pResponse.pTransport;
    if (transport === null) {
      this.failure ??= "OnResponse had no pTransport";
      return;
    }

    if (this.#next >= this.plan.count || this.failure !== null) {
      transport.CommandQUIT();
      return;
    }

    const hr = transport.SendMessage(messageFor(this.plan, this.#next));
    this.#next += 1;
    if (hr !== S_OK) {
      this.failure ??= `SendMessage returned ${formatHresult(hr)}`;
      transport.CommandQUIT();
    }
  }
}

function inetServer(plan: SendPlan): INETSERVER {
  return {
    szAccount: "bench",
    szUserName: "",
    szPassword: "",
    szServerName: plan.host,
    szConnectoid: "",
    rasconntype: 0,
    dwPort: plan.port,
    fSSL: false,
    fTrySicily: false,
    dwTimeout: 60,
    dwFlags: ISF_QUERYDSNSUPPORT,
  };
}

/** Sends a plan through a transport created with `pipelining` set as given. */
function sendWithTransport(plan: SendPlan, pipelining: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const transport = createSMTPTransport({ clientName: CLIENT_NAME, pipelining });
    const callback = new SendingCallback(plan, () => {
      if (callback.failure !== null) {
        reject(new Error(callback.failure));
        return;
      }
      resolve(callback.accepted);
    });

    const init = transport.InitNew(null, callback);
    const connect = init === S_OK ? transport.Connect(inetServer(plan), false, false) : init;
    if (connect !== S_OK) {
      reject(new Error(`InitNew or Connect returned ${formatHresult(connect)}`));
    }
  });
}

/** The transport with its default options: one command at a time, as Outlook Express sent them. */
export const imnxportLegacy: BenchClient = {
  id: "imnxport-legacy",
  available: true,
  send: (plan) => sendWithTransport(plan, false),
};

/**
 * The same callback with the opt-in `pipelining` option: the transport writes MAIL and every
 * RCPT together when the server lists PIPELINING, then waits for DATA's reply on its own.
 */
export const imnxportPipelined: BenchClient = {
  id: "imnxport-pipelined",
  available: true,
  send: (plan) => sendWithTransport(plan, true),
};
