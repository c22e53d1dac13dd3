import * as hr from "../imnxport/hresults.js";
import type { Explanation } from "./explanations.js";

/** The places a failure reply's own code appears, shared by the reply-code entries below. */
const REPLY_FAILURE =
  "in OnResponse for the command it answers, and in SMTP_SEND_MESSAGE when it answers DATA or the final dot. At MAIL and RCPT the message result is IXP_E_SMTP_REJECTED_SENDER or IXP_E_SMTP_REJECTED_RECIPIENTS instead, with this code in hrServerError.";

/** The place a success reply's code appears. */
const REPLY_SUCCESS = "in OnResponse for each reply line with that code.";

/** The SMTP codes: reply-code HRESULTs, message results, and the TLS and DSN codes. */
export const SMTP_EXPLANATIONS: readonly Explanation[] = [
  {
    name: "IXP_E_SMTP_RESPONSE_ERROR",
    value: hr.IXP_E_SMTP_RESPONSE_ERROR,
    meaning: "The server sent a reply the transport has no more specific code for.",
    when: `A 4xx or 5xx reply code without an IXP_E_SMTP_ name of its own, ${REPLY_FAILURE} A 535 that refuses the credentials ends Connect with it through OnError(IXP_AUTHORIZING) when OnLogonPrompt returns S_FALSE.`,
    fix: "Read the reply text in pszResponse: the server says there what it objects to. For 535, check the user name and password.",
  },
  {
    name: "IXP_E_SMTP_UNKNOWN_RESPONSE_CODE",
    value: hr.IXP_E_SMTP_UNKNOWN_RESPONSE_CODE,
    meaning: "The server sent a reply code the transport does not recognize.",
    when: "Reported through OnError, and the connection is dropped, when a reply is malformed (no valid code, a line over 2048 bytes, mixed codes in one reply), has a code that does not fit its command (354 to MAIL), or arrives before its command was sent.",
    fix: "Check that the port is an SMTP port and nothing between client and server rewrites the traffic; a server that answers early ignores SMTP's command order.",
  },
  {
    name: "IXP_E_SMTP_500_SYNTAX_ERROR",
    value: hr.IXP_E_SMTP_500_SYNTAX_ERROR,
    meaning: "Reply 500: syntax error, command unrecognized.",
    when: `A 500 reply, ${REPLY_FAILURE} A 500 to EHLO makes the transport retry with HELO, unless TLS needs EHLO.`,
    fix: "The server did not understand a command; read the reply text and check the server's documentation for the extensions it supports.",
  },
  {
    name: "IXP_E_SMTP_501_PARAM_SYNTAX",
    value: hr.IXP_E_SMTP_501_PARAM_SYNTAX,
    meaning: "Reply 501: syntax error in parameters or arguments.",
    when: `A 501 reply, ${REPLY_FAILURE} Outlook Express users saw it for HELO when the computer name had characters the server refused.`,
    fix: "Set a fully qualified client name (createSMTPTransport({ clientName })) and check the addresses.",
  },
  {
    name: "IXP_E_SMTP_502_COMMAND_NOTIMPL",
    value: hr.IXP_E_SMTP_502_COMMAND_NOTIMPL,
    meaning: "Reply 502: command not implemented.",
    when: `A 502 reply, ${REPLY_FAILURE} A 502 to EHLO makes the transport retry with HELO, unless TLS needs EHLO.`,
    fix: "Avoid the command on this server.",
  },
  {
    name: "IXP_E_SMTP_503_COMMAND_SEQ",
    value: hr.IXP_E_SMTP_503_COMMAND_SEQ,
    meaning: "Reply 503: bad sequence of commands.",
    when: `A 503 reply, ${REPLY_FAILURE} Servers send it for MAIL before HELO, DATA without a recipient, or a command that needs authentication first.`,
    fix: "Send commands in SMTP's order, from OnResponse of the previous one; when the text asks for authentication, the server needs SMTP AUTH.",
  },
  {
    name: "IXP_E_SMTP_504_COMMAND_PARAM_NOTIMPL",
    value: hr.IXP_E_SMTP_504_COMMAND_PARAM_NOTIMPL,
    meaning: "Reply 504: command parameter not implemented.",
    when: `A 504 reply, ${REPLY_FAILURE} A 504 to EHLO makes the transport retry with HELO, unless TLS needs EHLO.`,
    fix: "Leave out the parameter the server does not support, such as DSN options on a server without DSN.",
  },
  {
    name: "IXP_E_SMTP_421_NOT_AVAILABLE",
    value: hr.IXP_E_SMTP_421_NOT_AVAILABLE,
    meaning: "Reply 421: service not available, the server is closing the connection.",
    when: "A 421 reply to any command (reported for that command, then the connection closes), a 421 nobody asked for (OnError), or a 421 during SendMessage, which ends with OnError instead of SMTP_SEND_MESSAGE.",
    fix: "Try again later: the server is overloaded, shutting down, or limiting your connections.",
  },
  {
    name: "IXP_E_SMTP_450_MAILBOX_BUSY",
    value: hr.IXP_E_SMTP_450_MAILBOX_BUSY,
    meaning: "Reply 450: mailbox unavailable (busy), action not taken.",
    when: `A 450 reply, ${REPLY_FAILURE} Greylisting servers send it to a first delivery attempt.`,
    fix: "Send again later; a temporary failure usually clears within minutes.",
  },
  {
    name: "IXP_E_SMTP_550_MAILBOX_NOT_FOUND",
    value: hr.IXP_E_SMTP_550_MAILBOX_NOT_FOUND,
    meaning: "Reply 550: mailbox unavailable (not found or access denied), action not taken.",
    when: `A 550 reply, ${REPLY_FAILURE} Outlook Express users met it most often as a refused relay ("not a gateway", "relaying denied") when their client did not log on.`,
    fix: "Check the address. For relaying refusals, send through your own provider's server and authenticate to it.",
  },
  {
    name: "IXP_E_SMTP_451_ERROR_PROCESSING",
    value: hr.IXP_E_SMTP_451_ERROR_PROCESSING,
    meaning: "Reply 451: local error in processing, action aborted.",
    when: `A 451 reply, ${REPLY_FAILURE} Servers send it for temporary lookup failures and for sessions they refuse while busy.`,
    fix: "Send again later; if it persists, the server's administrator must look at its logs.",
  },
  {
    name: "IXP_E_SMTP_551_USER_NOT_LOCAL",
    value: hr.IXP_E_SMTP_551_USER_NOT_LOCAL,
    meaning: "Reply 551: user not local.",
    when: `A 551 reply, ${REPLY_FAILURE}`,
    fix: "Send to the forwarding address the reply text gives.",
  },
  {
    name: "IXP_E_SMTP_452_NO_SYSTEM_STORAGE",
    value: hr.IXP_E_SMTP_452_NO_SYSTEM_STORAGE,
    meaning: "Reply 452: insufficient system storage.",
    when: `A 452 reply, ${REPLY_FAILURE} Servers also send it for too many recipients in one message.`,
    fix: "Send again later, or split the recipients over several messages.",
  },
  {
    name: "IXP_E_SMTP_552_STORAGE_OVERFLOW",
    value: hr.IXP_E_SMTP_552_STORAGE_OVERFLOW,
    meaning: "Reply 552: exceeded storage allocation.",
    when: `A 552 reply, ${REPLY_FAILURE} Outlook Express users saw it for messages over the server's size limit.`,
    fix: "Make the message smaller (the EHLO reply's SIZE line gives the limit), or send large files another way.",
  },
  {
    name: "IXP_E_SMTP_553_MAILBOX_NAME_SYNTAX",
    value: hr.IXP_E_SMTP_553_MAILBOX_NAME_SYNTAX,
    meaning: "Reply 553: mailbox name not allowed.",
    when: `A 553 reply, ${REPLY_FAILURE} Outlook Express 4 saw it when it sent a display name inside RCPT TO.`,
    fix: "Send the bare address, and a sender address the server lets you use.",
  },
  {
    name: "IXP_E_SMTP_554_TRANSACT_FAILED",
    value: hr.IXP_E_SMTP_554_TRANSACT_FAILED,
    meaning: "Reply 554: transaction failed.",
    when: `A 554 reply, ${REPLY_FAILURE} A 554 greeting ends Connect. Outlook Express users saw it for content filters and for a From address that did not match the logon.`,
    fix: "Read the reply text: a blocklist, a spam filter or a sender policy refused the message.",
  },
  {
    name: "IXP_E_SMTP_211_SYSTEM_STATUS",
    value: hr.IXP_E_SMTP_211_SYSTEM_STATUS,
    meaning: "Reply 211: system status. A success code despite the IXP_E_ prefix.",
    when: `A 211 reply, ${REPLY_SUCCESS}`,
    fix: "Nothing to fix: it is a success code.",
  },
  {
    name: "IXP_E_SMTP_214_HELP_MESSAGE",
    value: hr.IXP_E_SMTP_214_HELP_MESSAGE,
    meaning: "Reply 214: help message. A success code despite the IXP_E_ prefix.",
    when: `A 214 reply, ${REPLY_SUCCESS}`,
    fix: "Nothing to fix: it is a success code.",
  },
  {
    name: "IXP_E_SMTP_220_READY",
    value: hr.IXP_E_SMTP_220_READY,
    meaning: "Reply 220: service ready, the greeting. A success code despite the IXP_E_ prefix.",
    when: "The greeting, in OnResponse(SMTP_BANNER) once per line, and the reply to STARTTLS.",
    fix: "Nothing to fix: it is a success code.",
  },
  {
    name: "IXP_E_SMTP_221_CLOSING",
    value: hr.IXP_E_SMTP_221_CLOSING,
    meaning: "Reply 221: service closing the connection, the reply to QUIT. A success code.",
    when: "The reply to QUIT, in OnResponse(SMTP_QUIT), just before IXP_DISCONNECTED.",
    fix: "Nothing to fix: it is a success code.",
  },
  {
    name: "IXP_E_SMTP_250_MAIL_ACTION_OKAY",
    value: hr.IXP_E_SMTP_250_MAIL_ACTION_OKAY,
    meaning: "Reply 250: requested action completed. A success code despite the IXP_E_ prefix.",
    when: `A 250 reply to HELO, EHLO, MAIL, RCPT, RSET or the final dot, ${REPLY_SUCCESS} SMTP_SEND_MESSAGE carries S_OK instead.`,
    fix: "Nothing to fix: it is a success code.",
  },
  {
    name: "IXP_E_SMTP_251_FORWARDING_MAIL",
    value: hr.IXP_E_SMTP_251_FORWARDING_MAIL,
    meaning: "Reply 251: user not local, the server will forward. A success code.",
    when: `A 251 reply to RCPT, ${REPLY_SUCCESS}`,
    fix: "Nothing to fix: it is a success code.",
  },
  {
    name: "IXP_E_SMTP_354_START_MAIL_INPUT",
    value: hr.IXP_E_SMTP_354_START_MAIL_INPUT,
    meaning: "Reply 354: start mail input, the reply to DATA. A success code.",
    when: "The reply to DATA, in OnResponse(SMTP_DATA); the body follows.",
    fix: "Nothing to fix: it is a success code.",
  },
  {
    name: "IXP_E_SMTP_CONTINUE",
    value: hr.IXP_E_SMTP_CONTINUE,
    meaning:
      "Continue status. Microsoft's pages do not document when it is returned. A success code.",
    when: "imnxport does not report it.",
    fix: "Nothing to fix: it is a success code.",
  },
  {
    name: "IXP_E_SMTP_334_AUTH_READY_RESPONSE",
    value: hr.IXP_E_SMTP_334_AUTH_READY_RESPONSE,
    meaning:
      "Reply 334: AUTH challenge, the server waits for the next SASL response (RFC 4954). A success code, not to be confused with IXP_E_SMTP_REJECTED_SENDER (0x800CCC78).",
    when: "Each challenge of an AUTH exchange, in OnResponse(SMTP_AUTH). Only the severity bit tells it from 0x800CCC78.",
    fix: "Nothing to fix: it is a success code. Compare whole HRESULTs, never their low 16 bits.",
  },
  {
    name: "IXP_E_SMTP_245_AUTH_SUCCESS",
    value: hr.IXP_E_SMTP_245_AUTH_SUCCESS,
    meaning:
      "AUTH succeeded. The IDL names reply 245, although RFC 4954 uses 235 for a successful AUTH. A success code, not to be confused with IXP_E_SMTP_REJECTED_RECIPIENTS (0x800CCC79).",
    when: "A 235 or 245 reply that ends an AUTH exchange, in OnResponse(SMTP_AUTH). Only the severity bit tells it from 0x800CCC79.",
    fix: "Nothing to fix: it is a success code. Compare whole HRESULTs, never their low 16 bits.",
  },
  {
    name: "IXP_E_SMTP_REJECTED_SENDER",
    value: hr.IXP_E_SMTP_REJECTED_SENDER,
    meaning:
      "The server rejected the sender (MAIL FROM) of the message. Not to be confused with IXP_E_SMTP_334_AUTH_READY_RESPONSE (0x000CCC78).",
    when: "In SMTP_SEND_MESSAGE when MAIL FROM got any 4xx or 5xx reply; the reply line and code are in pszResponse and uiServerError, and RSET was sent so the connection stays usable. Outlook Express users saw it with replies such as 505 or 550 asking for authentication, and 451 from servers that wanted a POP3 logon first.",
    fix: "Authenticate to the server (SMTP AUTH), or use a sender address the server accepts from you; with POP-before-SMTP, check mail before sending.",
  },
  {
    name: "IXP_E_SMTP_REJECTED_RECIPIENTS",
    value: hr.IXP_E_SMTP_REJECTED_RECIPIENTS,
    meaning:
      "The server rejected recipients (RCPT TO) of the message. Not to be confused with IXP_E_SMTP_245_AUTH_SUCCESS (0x000CCC79).",
    when: "In SMTP_SEND_MESSAGE when a RCPT TO got any 4xx or 5xx reply; the message stops at the first refused address, which is in pszProblem, and RSET keeps the connection usable. It was the error Outlook Express users met most: 550 or 554 'relaying denied' from servers that required a logon, and 451 or 454 for temporary lookup failures.",
    fix: "Check the rejected address. For relaying refusals, send through your provider's server and authenticate to it; for a 4xx reply, send again later.",
  },
  {
    name: "IXP_E_SMTP_NO_SENDER",
    value: hr.IXP_E_SMTP_NO_SENDER,
    meaning: "The address list of the message has no ADDR_FROM entry.",
    when: "Returned by SendMessage before anything is sent.",
    fix: "Add an INETADDR with addrtype ADDR_FROM to rAddressList, and count it in cAddress.",
  },
  {
    name: "IXP_E_SMTP_NO_RECIPIENTS",
    value: hr.IXP_E_SMTP_NO_RECIPIENTS,
    meaning: "The address list of the message has no ADDR_TO entry.",
    when: "Returned by SendMessage before anything is sent.",
    fix: "Add at least one INETADDR with addrtype ADDR_TO, and count it in cAddress.",
  },
  {
    name: "IXP_E_SMTP_530_STARTTLS_REQUIRED",
    value: hr.IXP_E_SMTP_530_STARTTLS_REQUIRED,
    meaning: "Reply 530: the server requires STARTTLS before this command (RFC 3207).",
    when: `A 530 reply, ${REPLY_FAILURE} Servers send it to MAIL when they accept mail only over TLS or only from authenticated clients. imnxport also reports it, through OnError(IXP_AUTHORIZING) or as CommandAUTH's return value, before credentials would cross a connection without TLS to a server that is not on loopback.`,
    fix: "Connect with STARTTLS (fSSL with ISF_SSLONSAMEPORT) or implicit TLS, and authenticate when the text asks for it. The transport option allowCleartextAuth sends credentials without TLS, readable by every network hop.",
  },
  {
    name: "IXP_E_SMTP_NO_STARTTLS_SUPPORT",
    value: hr.IXP_E_SMTP_NO_STARTTLS_SUPPORT,
    meaning: "A TLS upgrade was required but the server does not offer STARTTLS.",
    when: "Reported through OnError when STARTTLS is required (fSSL with ISF_SSLONSAMEPORT) and the EHLO reply does not list it; pszResponse is the last EHLO line and uiServerError its code (250). The connection is dropped without QUIT, as Outlook Express did.",
    fix: "Use the port where the server offers STARTTLS (usually 587), use implicit TLS on 465, or fix the server's TLS configuration.",
  },
  {
    name: "IXP_E_SMTP_NO_DSN_SUPPORT",
    value: hr.IXP_E_SMTP_NO_DSN_SUPPORT,
    meaning: "A delivery status notification was requested but the server does not support DSN.",
    when: "imnxport does not report it: a server without DSN gets the message without DSN parameters, and the result is the success code IXP_S_SMTP_NO_DSN_SUPPORT.",
    fix: "See IXP_S_SMTP_NO_DSN_SUPPORT.",
  },
  {
    name: "IXP_E_SMTP_454_STARTTLS_FAILED",
    value: hr.IXP_E_SMTP_454_STARTTLS_FAILED,
    meaning: "Reply 454: TLS not available for a temporary reason (RFC 3207).",
    when: `A 454 reply, ${REPLY_FAILURE} A 454 to STARTTLS ends the session through OnError. Servers also send 454 to RCPT to refuse relaying.`,
    fix: "Try again later; if it persists, the server's TLS configuration needs repair.",
  },
  {
    name: "IXP_S_SMTP_NO_DSN_SUPPORT",
    value: hr.IXP_S_SMTP_NO_DSN_SUPPORT,
    meaning:
      "Success status: the server does not support DSN. Microsoft's pages list it as a return of SendMessage and SendMessage2 (oe-ismtptransport-sendmessage, oe-ismtptransport2-sendmessage2) without giving a value, and Wine's header has no IXP_S_ variant. NOTE: the value is this package's guess, HR_S(0xCC7E) derived from the name. No public source gives it. It differs from IXP_E_SMTP_NO_DSN_SUPPORT (0x800CCC7E) only in severity.",
    when: "In SMTP_SEND_MESSAGE of a SendMessage2 that asked for DSN when the server's EHLO reply lacked the DSN keyword: the message was accepted, without DSN parameters.",
    fix: "Nothing to fix: the message was sent. Expect no delivery notifications from this server.",
  },
];
