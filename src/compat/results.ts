import type { SMTPCOMMAND } from "../imnxport/enums.js";
import type { HRESULT } from "../imnxport/hresults.js";
import { S_OK } from "../imnxport/hresults.js";
import type { ISMTPTransport } from "../imnxport/interfaces.js";
import type { IXPRESULT, SMTPRESPONSE, SMTPSTREAM } from "../imnxport/structs.js";

/** The reply line a result describes: its sanitized text, its code and the code's HRESULT. */
export interface ReplyFacts {
  text: string;
  code: number;
  hr: HRESULT;
}

/** Fields of an IXPRESULT that differ from an all-zero result. */
export interface ResultFields {
  hrResult: HRESULT;
  reply?: ReplyFacts | null;
  dwSocketError?: number;
  pszProblem?: string | null;
}

/** Build a fresh IXPRESULT, so a callback that keeps or edits it cannot affect the transport. */
export function makeResult(fields: ResultFields): IXPRESULT {
  const reply = fields.reply ?? null;

  return {
    hrResult: fields.hrResult,
    pszResponse: reply?.text ?? null,
    uiServerError: reply?.code ?? 0,
    hrServerError: reply?.hr ?? S_OK,
    dwSocketError: fields.dwSocketError ?? 0,
    pszProblem: fields.pszProblem ?? null,
  };
}

const NO_STREAM_INFO: SMTPSTREAM = Object.freeze({ cbIncrement: 0, cbCurrent: 0, cbTotal: 0 });

/** Build an SMTPRESPONSE; `rStreamInfo` is zero unless the command is SMTP_SEND_STREAM. */
export function makeResponse(
  command: SMTPCOMMAND,
  fDone: boolean,
  result: IXPRESULT,
  transport: ISMTPTransport,
  streamInfo: SMTPSTREAM = NO_STREAM_INFO,
): SMTPRESPONSE {
  return {
    command,
    fDone,
    rIxpResult: result,
    pTransport: transport,
    rStreamInfo: { ...streamInfo },
  };
}
