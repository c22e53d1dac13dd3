import { formatHresult, hresultName } from "../compat/names.js";
import { IXP_E_CONNECTION_DROPPED } from "../imnxport/hresults.js";
import type { IXPRESULT } from "../imnxport/structs.js";

/**
 * A failure of the promise API: the HRESULT the transport reported, with the server's reply and
 * the socket error that explain it. The fields are those of the legacy IXPRESULT under
 * idiomatic names.
 */
export class SMTPError extends Error {
  override readonly name = "SMTPError";
  /** The transport's result, such as 0x800CCC79 (`IXP_E_SMTP_REJECTED_RECIPIENTS`). */
  readonly hresult: number;
  /** The IDL name of `hresult`, or undefined for a value the IDL does not name. */
  readonly hresultName: string | undefined;
  /** The server's reply line that caused the failure, or null when there was none. */
  readonly response: string | null;
  /** The reply code of `response` (550), or 0 when there was no reply. */
  readonly code: number;
  /** The Winsock error number (10061 for a refused connection), or 0. */
  readonly socketError: number;
  /** Further detail, such as the rejected recipient address, or null. */
  readonly problem: string | null;

  constructor(action: string, result: IXPRESULT) {
    super(describe(action, result));
    this.hresult = result.hrResult >>> 0;
    this.hresultName = hresultName(result.hrResult);
    this.response = result.pszResponse;
    this.code = result.uiServerError;
    this.socketError = result.dwSocketError;
    this.problem = result.pszProblem;
  }

  /** An SMTPError for an HRESULT that a transport method returned, with no reply behind it. */
  static fromHresult(action: string, hr: number, problem: string | null = null): SMTPError {
    return new SMTPError(action, resultOf(hr, problem));
  }
}

/** Build the IXPRESULT of a failure that no server reply explains. */
export function resultOf(hr: number, problem: string | null = null): IXPRESULT {
  return {
    hrResult: hr,
    pszResponse: null,
    uiServerError: 0,
    hrServerError: 0,
    dwSocketError: 0,
    pszProblem: problem,
  };
}

/** The result of a connection that closed with no OnError to say why. */
export const CONNECTION_CLOSED: IXPRESULT = Object.freeze(
  resultOf(IXP_E_CONNECTION_DROPPED, "the connection closed"),
);

function describe(action: string, result: IXPRESULT): string {
  const name = hresultName(result.hrResult);
  const parts = [`${action} failed: ${formatHresult(result.hrResult)}${name ? ` ${name}` : ""}`];
  if (result.pszResponse !== null) {
    parts.push(`server response ${JSON.stringify(result.pszResponse)}`);
  }
  if (result.dwSocketError !== 0) {
    parts.push(`socket error ${result.dwSocketError}`);
  }
  if (result.pszProblem !== null) {
    parts.push(result.pszProblem);
  }
  return parts.join("; ");
}
