import {
  type HRESULT,
  IXP_E_INVALID_ADDRESS_LIST,
  IXP_E_SMTP_NO_RECIPIENTS,
  IXP_E_SMTP_NO_SENDER,
} from "../imnxport/hresults.js";
import { ADDR_FROM, ADDR_TOFROM_MASK } from "../imnxport/index.js";
import type { ISMTPCallback } from "../imnxport/interfaces.js";
import type { INETSERVER, SMTPMESSAGE } from "../imnxport/structs.js";
import { isMessageSource } from "./body/message-source.js";
import { checkMailbox, checkReversePath } from "./wire/address.js";

/** The checked envelope of an SMTPMESSAGE, or the HRESULT-worthy reason it was refused. */
export type EnvelopeCheck =
  | { ok: true; from: string; recipients: string[] }
  | { ok: false; hr: HRESULT; detail: string };

/** Check whether a host name or address string has a control character, a space, `/`, `\\` or `@`. */
function hasForbiddenHostCharacter(name: string): boolean {
  for (let index = 0; index < name.length; index += 1) {
    const code = name.charCodeAt(index);
    if (code <= 0x20 || code === 0x7f || code === 0x2f || code === 0x5c || code === 0x40) {
      return true;
    }
  }

  return false;
}

/** Check whether Connect can use this server description. The caller returns E_INVALIDARG if not. */
export function isUsableServer(server: unknown): server is INETSERVER {
  if (typeof server !== "object" || server === null) {
    return false;
  }

  const candidate = server as Partial<INETSERVER>;
  const name = candidate.szServerName;
  if (typeof name !== "string" || name.length === 0 || name.length > 255) {
    return false;
  }

  if (hasForbiddenHostCharacter(name)) {
    return false;
  }

  return isDword(candidate.dwPort ?? 0, 65535) && isDword(candidate.dwTimeout ?? 0, 0xffffffff);
}

function isDword(value: unknown, max: number): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max;
}

/** Read a BOOL as the IDL passes it: true/false, or 0/1 from code ported from C. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 1;
}

/** Check whether InitNew received an object with the ISMTPCallback methods the transport calls. */
export function isUsableCallback(callback: unknown): callback is ISMTPCallback {
  return (
    typeof callback === "object" &&
    callback !== null &&
    typeof (callback as ISMTPCallback).OnResponse === "function"
  );
}

/** Check whether InitNew's log path is a string, null (no log) or omitted. */
export function isUsableLogPath(path: unknown): path is string | null | undefined {
  return path === null || path === undefined || typeof path === "string";
}

/** Check whether SendMessage received a message it can read. The caller returns E_INVALIDARG if not. */
export function isUsableMessage(message: unknown): message is SMTPMESSAGE {
  if (typeof message !== "object" || message === null) {
    return false;
  }

  const candidate = message as Partial<SMTPMESSAGE>;
  const list = candidate.rAddressList;
  if (!isMessageSource(candidate.pstmMsg) || typeof list !== "object" || list === null) {
    return false;
  }

  if (!Array.isArray(list.prgAddress) || !isDword(list.cAddress, list.prgAddress.length)) {
    return false;
  }

  return isDword(candidate.cbSize ?? 0, 0xffffffff);
}

/**
 * Check the sender and recipients of a message. The last ADDR_FROM entry is the sender, as in
 * Wine; every address must pass the envelope checks before a byte is written.
 */
export function checkEnvelope(message: SMTPMESSAGE): EnvelopeCheck {
  const entries = message.rAddressList.prgAddress.slice(0, message.rAddressList.cAddress);
  let from: string | null = null;
  const recipients: string[] = [];

  for (const [index, entry] of entries.entries()) {
    const isSender = ((entry?.addrtype ?? -1) & ADDR_TOFROM_MASK) === ADDR_FROM;
    const email = typeof entry?.szEmail === "string" ? entry.szEmail : null;
    if (email === null) {
      return invalidAddress(index, "szEmail is not a string");
    }

    const check = isSender ? checkReversePath(email) : checkMailbox(email);
    if (!check.ok) {
      return invalidAddress(index, check.reason);
    }

    if (isSender) {
      from = check.mailbox;
    } else {
      recipients.push(check.mailbox);
    }
  }

  if (from === null) {
    return { ok: false, hr: IXP_E_SMTP_NO_SENDER, detail: "no ADDR_FROM entry" };
  }

  if (recipients.length === 0) {
    return { ok: false, hr: IXP_E_SMTP_NO_RECIPIENTS, detail: "no ADDR_TO entry" };
  }

  return { ok: true, from, recipients };
}

function invalidAddress(index: number, reason: string): EnvelopeCheck {
  return { ok: false, hr: IXP_E_INVALID_ADDRESS_LIST, detail: `address ${index}: ${reason}` };
}
