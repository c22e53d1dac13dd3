import {
  SMTP_AUTH,
  SMTP_BANNER,
  SMTP_CUSTOM,
  SMTP_DATA,
  SMTP_DOT,
  SMTP_EHLO,
  SMTP_HELO,
  SMTP_MAIL,
  SMTP_QUIT,
  SMTP_RCPT,
  SMTP_RSET,
  type SMTPCOMMAND,
} from "../../imnxport/enums.js";
import {
  type HRESULT,
  IXP_E_SMTP_211_SYSTEM_STATUS,
  IXP_E_SMTP_214_HELP_MESSAGE,
  IXP_E_SMTP_220_READY,
  IXP_E_SMTP_221_CLOSING,
  IXP_E_SMTP_245_AUTH_SUCCESS,
  IXP_E_SMTP_250_MAIL_ACTION_OKAY,
  IXP_E_SMTP_251_FORWARDING_MAIL,
  IXP_E_SMTP_334_AUTH_READY_RESPONSE,
  IXP_E_SMTP_354_START_MAIL_INPUT,
  IXP_E_SMTP_421_NOT_AVAILABLE,
  IXP_E_SMTP_450_MAILBOX_BUSY,
  IXP_E_SMTP_451_ERROR_PROCESSING,
  IXP_E_SMTP_452_NO_SYSTEM_STORAGE,
  IXP_E_SMTP_454_STARTTLS_FAILED,
  IXP_E_SMTP_500_SYNTAX_ERROR,
  IXP_E_SMTP_501_PARAM_SYNTAX,
  IXP_E_SMTP_502_COMMAND_NOTIMPL,
  IXP_E_SMTP_503_COMMAND_SEQ,
  IXP_E_SMTP_504_COMMAND_PARAM_NOTIMPL,
  IXP_E_SMTP_530_STARTTLS_REQUIRED,
  IXP_E_SMTP_550_MAILBOX_NOT_FOUND,
  IXP_E_SMTP_551_USER_NOT_LOCAL,
  IXP_E_SMTP_552_STORAGE_OVERFLOW,
  IXP_E_SMTP_553_MAILBOX_NAME_SYNTAX,
  IXP_E_SMTP_554_TRANSACT_FAILED,
  IXP_E_SMTP_RESPONSE_ERROR,
  IXP_E_SMTP_UNKNOWN_RESPONSE_CODE,
  S_OK,
} from "../../imnxport/hresults.js";

/** How a reply code relates to the command that elicited it. */
export type ReplyClass = "success" | "failure" | "unexpected";

/**
 * Reply codes with their own HRESULT. All but 235 follow Wine's SMTPTransport_ParseResponse in
 * `dlls/inetcomm/smtptransport.c`. 235, the AUTH success code of RFC 4954, maps to
 * IXP_E_SMTP_245_AUTH_SUCCESS like OE's own 245, because Wine's default branch would turn it
 * into IXP_E_SMTP_RESPONSE_ERROR, a failure.
 */
const REPLY_HRESULTS: ReadonlyMap<number, HRESULT> = new Map([
  [211, IXP_E_SMTP_211_SYSTEM_STATUS],
  [214, IXP_E_SMTP_214_HELP_MESSAGE],
  [220, IXP_E_SMTP_220_READY],
  [221, IXP_E_SMTP_221_CLOSING],
  [235, IXP_E_SMTP_245_AUTH_SUCCESS],
  [245, IXP_E_SMTP_245_AUTH_SUCCESS],
  [250, IXP_E_SMTP_250_MAIL_ACTION_OKAY],
  [251, IXP_E_SMTP_251_FORWARDING_MAIL],
  [334, IXP_E_SMTP_334_AUTH_READY_RESPONSE],
  [354, IXP_E_SMTP_354_START_MAIL_INPUT],
  [421, IXP_E_SMTP_421_NOT_AVAILABLE],
  [450, IXP_E_SMTP_450_MAILBOX_BUSY],
  [451, IXP_E_SMTP_451_ERROR_PROCESSING],
  [452, IXP_E_SMTP_452_NO_SYSTEM_STORAGE],
  [454, IXP_E_SMTP_454_STARTTLS_FAILED],
  [500, IXP_E_SMTP_500_SYNTAX_ERROR],
  [501, IXP_E_SMTP_501_PARAM_SYNTAX],
  [502, IXP_E_SMTP_502_COMMAND_NOTIMPL],
  [503, IXP_E_SMTP_503_COMMAND_SEQ],
  [504, IXP_E_SMTP_504_COMMAND_PARAM_NOTIMPL],
  [530, IXP_E_SMTP_530_STARTTLS_REQUIRED],
  [550, IXP_E_SMTP_550_MAILBOX_NOT_FOUND],
  [551, IXP_E_SMTP_551_USER_NOT_LOCAL],
  [552, IXP_E_SMTP_552_STORAGE_OVERFLOW],
  [553, IXP_E_SMTP_553_MAILBOX_NAME_SYNTAX],
  [554, IXP_E_SMTP_554_TRANSACT_FAILED],
]);

/**
 * Positive codes per command, from RFC 5321 §4.3.2, plus 245, the AUTH success code OE used.
 * SMTP_CUSTOM is missing on purpose: any 2xx or 3xx counts as success for it.
 */
const SUCCESS_CODES: ReadonlyMap<SMTPCOMMAND, readonly number[]> = new Map<
  SMTPCOMMAND,
  readonly number[]
>([
  [SMTP_BANNER, [220]],
  [SMTP_EHLO, [250]],
  [SMTP_HELO, [250]],
  [SMTP_MAIL, [250]],
  [SMTP_RCPT, [250, 251]],
  [SMTP_DATA, [354]],
  [SMTP_DOT, [250]],
  [SMTP_RSET, [250]],
  [SMTP_AUTH, [334, 235, 245]],
  [SMTP_QUIT, [221]],
]);

/**
 * Tests whether `code` fits the RFC 5321 §4.2 reply-code syntax: first digit 2-5, second 0-5,
 * third 0-9.
 */
export function isValidReplyCode(code: number): boolean {
  if (!Number.isInteger(code) || code < 200 || code > 599) {
    return false;
  }
  return Math.floor(code / 10) % 10 <= 5;
}

/**
 * Classifies a reply code for the command that elicited it: "success" for a code RFC 5321 §4.3.2
 * lists as positive for that command, "failure" for any 4xx or 5xx, and "unexpected" for
 * everything else, such as a 354 to MAIL or a 233 greeting, which the caller treats as a
 * protocol error. For SMTP_CUSTOM (STARTTLS and extension commands) any 2xx or 3xx is success.
 * Commands that elicit no reply (SMTP_NONE, SMTP_SEND_STREAM and the like) have no success code.
 */
export function classifyReply(code: number, command: SMTPCOMMAND): ReplyClass {
  if (!isValidReplyCode(code)) {
    return "unexpected";
  }

  if (code >= 400) {
    return "failure";
  }

  if (command === SMTP_CUSTOM) {
    return "success";
  }
  return SUCCESS_CODES.get(command)?.includes(code) === true ? "success" : "unexpected";
}

/**
 * Maps a reply code to the HRESULT reported as `hrServerError` and, outside SMTP_SEND_MESSAGE,
 * as `hrResult`. A code with its own IXP_E_SMTP_* constant gets it whatever the command, so a
 * 354 to MAIL still reports IXP_E_SMTP_354_START_MAIL_INPUT although it is unexpected. Other
 * codes: S_OK for a 2xx or 3xx that is a success for `command`, IXP_E_SMTP_RESPONSE_ERROR for a
 * 4xx or 5xx, and IXP_E_SMTP_UNKNOWN_RESPONSE_CODE for anything else (an unexpected 2xx or 3xx,
 * or a code outside the RFC 5321 syntax).
 */
export function hresultForReply(code: number, command: SMTPCOMMAND): HRESULT {
  const mapped = REPLY_HRESULTS.get(code);
  if (mapped !== undefined) {
    return mapped;
  }

  const replyClass = classifyReply(code, command);
  if (replyClass === "failure") {
    return IXP_E_SMTP_RESPONSE_ERROR;
  }
  if (replyClass === "success") {
    return S_OK;
  }
  return IXP_E_SMTP_UNKNOWN_RESPONSE_CODE;
}
