import { CMD_SEND, SMTP_SEND_STREAM } from "../imnxport/enums.js";
import { S_OK } from "../imnxport/hresults.js";
import type { IXPRESULT, SMTPRESPONSE } from "../imnxport/structs.js";
import { commandName, formatHresult, statusName } from "./names.js";

/*
 * One-line renderings of callbacks in the notation of the behavior reference, shared by the
 * demo, the CLI and the golden traces:
 *
 *   status IXP_CONNECTED
 *   send "MAIL FROM:<a@x>\r\n"
 *   resp "250 2.1.0 Ok" 0x000CCC74
 *   R{SMTP_MAIL, TRUE, 0x000CCC74, 250, "250 2.1.0 Ok"}
 *   error{IXP_CONNECTED, 0x800CCC0F, 451, "451 ...", server 0x800CCC6A, socket 10054}
 */

/** Format an HRESULT as `S_OK`, or as `0x` and eight uppercase hex digits. */
export function formatHr(hr: number): string {
  return hr === S_OK ? "S_OK" : formatHresult(hr);
}

/** Format the fields of an IXPRESULT that carry information, comma-separated. */
export function formatResult(result: IXPRESULT): string {
  const parts = [formatHr(result.hrResult)];
  if (result.uiServerError !== 0 || result.pszResponse !== null) {
    parts.push(String(result.uiServerError), JSON.stringify(result.pszResponse));
  }

  if (result.hrServerError !== result.hrResult && result.pszResponse !== null) {
    parts.push(`server ${formatHr(result.hrServerError)}`);
  }

  if (result.dwSocketError !== 0) {
    parts.push(`socket ${result.dwSocketError}`);
  }

  if (result.pszProblem !== null) {
    parts.push(`problem ${JSON.stringify(result.pszProblem)}`);
  }

  return parts.join(", ");
}

export function formatStatus(status: number): string {
  return `status ${statusName(status)}`;
}

export function formatError(status: number, result: IXPRESULT): string {
  return `error{${statusName(status)}, ${formatResult(result)}}`;
}

export function formatCommand(cmdtype: number, line: string, hr: number): string {
  if (cmdtype === CMD_SEND) {
    return `send ${JSON.stringify(line)}`;
  }

  return `resp ${JSON.stringify(line)} ${formatHr(hr)}`;
}

/** Format an SMTPRESPONSE. The stream counts follow for SMTP_SEND_STREAM. */
export function formatResponse(response: SMTPRESPONSE): string {
  const done = response.fDone ? "TRUE" : "FALSE";
  const head = `R{${commandName(response.command)}, ${done}, ${formatResult(response.rIxpResult)}`;
  if (response.command !== SMTP_SEND_STREAM) {
    return `${head}}`;
  }

  const stream = response.rStreamInfo;
  return `${head}, stream ${stream.cbIncrement}/${stream.cbCurrent}/${stream.cbTotal}}`;
}
