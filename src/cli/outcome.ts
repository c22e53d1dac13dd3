import { formatHresult, hresultName } from "../compat/names.js";
import { describeWinsockError } from "../compat/winsock.js";
import { IXP_E_SMTP_REJECTED_RECIPIENTS, SUCCEEDED } from "../imnxport/hresults.js";
import type { IXPRESULT } from "../imnxport/structs.js";
import { findExplanation } from "./explanations.js";
import type { SessionOutcome } from "./session-runner.js";

/** The server of a session, for the fields of the summary line. */
export interface Destination {
  host: string;
  port: number;
  secure: boolean;
}

/** The CLI's summary of a session: whether the message was sent, and the text to print. */
export interface Report {
  ok: boolean;
  text: string;
}

/**
 * Summarize a session the way Outlook Express's error dialogs did: the HRESULT and its IDL name,
 * then one line of `Server`, `Protocol`, `Server Response`, `Port`, `Secure(SSL)`,
 * `Server Error` or `Socket Error`, and `Error Number` fields.
 */
export function reportOutcome(outcome: SessionOutcome, destination: Destination): Report {
  const sent = outcome.sent;
  if (sent !== null && SUCCEEDED(sent.hrResult)) {
    return { ok: true, text: `Message sent.\n${fieldLine(sent, destination)}\n` };
  }

  const failure = outcome.failure ?? sent;
  if (failure === null) {
    return {
      ok: false,
      text: "Sending failed: the connection closed before the message was sent.\n",
    };
  }

  return { ok: false, text: describeFailure(failure, destination, outcome.prompt) };
}

/** Describe a failure: headline, meaning, detail, the field line and where to read more. */
export function describeFailure(
  failure: IXPRESULT,
  destination: Destination,
  prompt: string | null,
): string {
  const hr = failure.hrResult >>> 0;
  const code = formatHresult(hr);
  const lines = [`Sending failed: ${code} ${hresultName(hr) ?? "(unknown HRESULT)"}`];
  const explanation = findExplanation({ kind: "value", value: hr });
  if (explanation !== undefined) {
    lines.push(explanation.meaning.split(/(?<=\.)\s/)[0] ?? explanation.meaning);
  }

  if (prompt !== null) {
    lines.push(`Certificate: ${prompt}`);
  }

  if (failure.pszProblem !== null) {
    const label = hr === IXP_E_SMTP_REJECTED_RECIPIENTS ? "Rejected address" : "Problem";
    lines.push(`${label}: '${failure.pszProblem}'`);
  }

  lines.push(fieldLine(failure, destination), `For causes and fixes: imnxport explain ${code}`);
  return `${lines.join("\n")}\n`;
}

/** OE's dialog fields, in OE's order; the reply fields only when a reply was read. */
function fieldLine(result: IXPRESULT, destination: Destination): string {
  const fields = [`Server: '${destination.host}'`, "Protocol: SMTP"];
  if (result.pszResponse !== null) {
    fields.push(`Server Response: '${result.pszResponse}'`);
  }

  fields.push(`Port: ${destination.port}`, `Secure(SSL): ${destination.secure ? "Yes" : "No"}`);
  if (result.pszResponse !== null) {
    fields.push(`Server Error: ${result.uiServerError}`);
  }

  if (result.dwSocketError !== 0) {
    const meaning = describeWinsockError(result.dwSocketError);
    fields.push(
      `Socket Error: ${result.dwSocketError}${meaning === undefined ? "" : ` (${meaning})`}`,
    );
  }

  fields.push(`Error Number: ${formatHresult(result.hrResult)}`);
  return fields.join(", ");
}
