import { CMDTYPE, IXPSTATUS, SMTPCOMMAND } from "../imnxport/enums.js";
import { HRESULT_NAMES } from "../imnxport/hresults.js";

function reverse(values: Readonly<Record<string, number>>): ReadonlyMap<number, string> {
  return new Map(Object.entries(values).map(([name, value]) => [value, name]));
}

const STATUS_NAMES = reverse(IXPSTATUS);
const COMMAND_NAMES = reverse(SMTPCOMMAND);
const CMDTYPE_NAMES = reverse(CMDTYPE);

/** Return the IDL name of an IXPSTATUS value, such as `IXP_CONNECTED`. */
export function statusName(status: number): string {
  return STATUS_NAMES.get(status) ?? `IXPSTATUS(${status})`;
}

/** Return the IDL name of an SMTPCOMMAND value, such as `SMTP_RCPT`. */
export function commandName(command: number): string {
  return COMMAND_NAMES.get(command) ?? `SMTPCOMMAND(${command})`;
}

/** Return the IDL name of a CMDTYPE value: `CMD_SEND` or `CMD_RESP`. */
export function cmdTypeName(cmdtype: number): string {
  return CMDTYPE_NAMES.get(cmdtype) ?? `CMDTYPE(${cmdtype})`;
}

/** Format an HRESULT as the documentation writes it: eight uppercase hex digits after `0x`. */
export function formatHresult(hr: number): string {
  return `0x${(hr >>> 0).toString(16).toUpperCase().padStart(8, "0")}`;
}

/** Return the IDL name of an HRESULT (`IXP_E_SMTP_REJECTED_RECIPIENTS`), or undefined when unknown. */
export function hresultName(hr: number): string | undefined {
  return HRESULT_NAMES.get(hr >>> 0);
}
