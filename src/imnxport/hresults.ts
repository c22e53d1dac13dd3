/**
 * HRESULTs of the SMTP transport in `Imnxport.idl`, the standard COM codes its methods return,
 * and the Win32 macros that take an HRESULT apart.
 *
 * Values are the unsigned 32-bit numbers that Microsoft's reference pages and Wine's
 * `include/imnxport.idl` print (0x800CCC79), never the signed form. The formatter writes hex
 * digits in lowercase. JavaScript bitwise operators produce the signed form (`0x800CCC79 | 0` is
 * -2146644871), and {@link SUCCEEDED} and {@link FAILED} accept both forms.
 *
 * @module
 */

/**
 * COM status code. Bit 31 is the severity (1 = failure), bits 16-28 are the facility and bits
 * 0-15 are the code.
 */
export type HRESULT = number;

/** Facility of every IXP_* code (FACILITY_INTERNET, 0xC), so IXP failures read 0x800Cxxxx. */
export const FACILITY_INTERNET = 12;

/**
 * Tests whether `hr` is a success code, that is whether bit 31 (the severity bit) is clear.
 * Returns the same result for the unsigned form (0x800CCC79) and the signed form (-2146644871).
 */
export function SUCCEEDED(hr: HRESULT): boolean {
  return hr >>> 31 === 0;
}

/** Tests whether `hr` is a failure code, that is whether bit 31 (the severity bit) is set. */
export function FAILED(hr: HRESULT): boolean {
  return hr >>> 31 === 1;
}

/** Extracts the code, the low 16 bits. Two codes with different severities can share it. */
export function HRESULT_CODE(hr: HRESULT): number {
  return hr & 0xffff;
}

/** Extracts the facility, bits 16-28 ({@link FACILITY_INTERNET} for every IXP_* code). */
export function HRESULT_FACILITY(hr: HRESULT): number {
  return (hr >>> 16) & 0x1fff;
}

/** Extracts the severity bit: 0 for success, 1 for failure. */
export function HRESULT_SEVERITY(hr: HRESULT): number {
  return hr >>> 31;
}

// Standard COM codes (winerror.h).

/** Success. */
export const S_OK = 0x00000000;
/** Same value as {@link S_OK}, the name the SetWindow and ResetWindow pages use. */
export const NOERROR = 0x00000000;
/**
 * Success code that means "no". IsState returns it when the state does not hold,
 * HandsOffCallback when no callback was registered, and a callback returns it from OnTimeout
 * or OnLogonPrompt to give up.
 */
export const S_FALSE = 0x00000001;
/** The method is not implemented. Wine's stubs of this API return it. */
export const E_NOTIMPL = 0x80004001;
/** QueryInterface was asked for an interface the object does not implement. */
export const E_NOINTERFACE = 0x80004002;
/** A required pointer argument is null. */
export const E_POINTER = 0x80004003;
/** Unspecified failure. */
export const E_FAIL = 0x80004005;
/** Unexpected failure. SetWindow and ResetWindow list it. */
export const E_UNEXPECTED = 0x8000ffff;
/** An argument is invalid, for example a null callback passed to InitNew. */
export const E_INVALIDARG = 0x80070057;
/** A memory allocation failed. */
export const E_OUTOFMEMORY = 0x8007000e;
/** The class factory was asked for an aggregated object. The SMTP transport does not support it. */
export const CLASS_E_NOAGGREGATION = 0x80040110;
/** The class factory does not serve the requested CLSID. */
export const CLASS_E_CLASSNOTAVAILABLE = 0x80040111;

// General transport failures: HR_E(0xCC00) to HR_E(0xCC1A). Nothing is defined in 0xCC1B-0xCC5F.

/** Loading the Sicily (Secure Password Authentication) security package failed. */
export const IXP_E_LOAD_SICILY_FAILED = 0x800ccc00;
/** The server certificate's common name does not match the server name. */
export const IXP_E_INVALID_CERT_CN = 0x800ccc01;
/** The server certificate has expired or is not yet valid. */
export const IXP_E_INVALID_CERT_DATE = 0x800ccc02;
/** Connect or InitNew was called while the transport is connected. */
export const IXP_E_ALREADY_CONNECTED = 0x800ccc03;
/** Connection failure. SetWindow lists it for a socket that could not be connected. */
export const IXP_E_CONN = 0x800ccc04;
/** The call needs a connection and there is none. The transport does not reconnect by itself. */
export const IXP_E_NOT_CONNECTED = 0x800ccc05;
/** Sending on the connection failed. */
export const IXP_E_CONN_SEND = 0x800ccc06;
/** The socket operation would block. */
export const IXP_E_WOULD_BLOCK = 0x800ccc07;
/** The transport is in the wrong state for the call. */
export const IXP_E_INVALID_STATE = 0x800ccc08;
/** Receiving on the connection failed. */
export const IXP_E_CONN_RECV = 0x800ccc09;
/** The operation did not complete. */
export const IXP_E_INCOMPLETE = 0x800ccc0a;
/** The transport is still processing an earlier command. */
export const IXP_E_BUSY = 0x800ccc0b;
/** InitNew has not been called. */
export const IXP_E_NOT_INIT = 0x800ccc0c;
/** The host name lookup of `szServerName` failed. */
export const IXP_E_CANT_FIND_HOST = 0x800ccc0d;
/**
 * The connection to the server could not be opened. OE shows it as "Error Number: 0x800CCC0E"
 * in its "The connection to the server has failed" dialog (Microsoft KB Q176102).
 */
export const IXP_E_FAILED_TO_CONNECT = 0x800ccc0e;
/** The connection was closed unexpectedly. */
export const IXP_E_CONNECTION_DROPPED = 0x800ccc0f;
/** An e-mail address is invalid. */
export const IXP_E_INVALID_ADDRESS = 0x800ccc10;
/** The address list of an SMTPMESSAGE contains invalid entries (SendMessage). */
export const IXP_E_INVALID_ADDRESS_LIST = 0x800ccc11;
/** Reading from the socket failed. */
export const IXP_E_SOCKET_READ_ERROR = 0x800ccc12;
/** Writing to the socket failed. */
export const IXP_E_SOCKET_WRITE_ERROR = 0x800ccc13;
/** Initializing the socket layer failed (Connect). Microsoft's spelling. */
export const IXP_E_SOCKET_INIT_ERROR = 0x800ccc14;
/**
 * Wine's spelling of {@link IXP_E_SOCKET_INIT_ERROR}, with the same value, kept so that code
 * written against Wine's header compiles.
 */
export const IXP_E_SCOKET_INIT_ERROR = 0x800ccc14;
/** The socket could not connect to the server (Connect). */
export const IXP_E_SOCKET_CONNECT_ERROR = 0x800ccc15;
/** The account passed to InetServerFromAccount is invalid. */
export const IXP_E_INVALID_ACCOUNT = 0x800ccc16;
/** The user canceled the operation. */
export const IXP_E_USER_CANCEL = 0x800ccc17;
/** The Sicily (Secure Password Authentication) logon failed. */
export const IXP_E_SICILY_LOGON_FAILED = 0x800ccc18;
/** The server did not respond in time. */
export const IXP_E_TIMEOUT = 0x800ccc19;
/** The SSL/TLS handshake failed. */
export const IXP_E_SECURE_CONNECT_FAILED = 0x800ccc1a;

// SMTP failures: HR_E(0xCC60) to HR_E(0xCC6F). Reply meanings are those of RFC 5321 §4.2.

/** The server sent a reply the transport has no more specific code for. */
export const IXP_E_SMTP_RESPONSE_ERROR = 0x800ccc60;
/** The server sent a reply code the transport does not recognize. */
export const IXP_E_SMTP_UNKNOWN_RESPONSE_CODE = 0x800ccc61;
/** Reply 500: syntax error, command unrecognized. */
export const IXP_E_SMTP_500_SYNTAX_ERROR = 0x800ccc62;
/** Reply 501: syntax error in parameters or arguments. */
export const IXP_E_SMTP_501_PARAM_SYNTAX = 0x800ccc63;
/** Reply 502: command not implemented. */
export const IXP_E_SMTP_502_COMMAND_NOTIMPL = 0x800ccc64;
/** Reply 503: bad sequence of commands. */
export const IXP_E_SMTP_503_COMMAND_SEQ = 0x800ccc65;
/** Reply 504: command parameter not implemented. */
export const IXP_E_SMTP_504_COMMAND_PARAM_NOTIMPL = 0x800ccc66;
/** Reply 421: service not available, the server is closing the connection. */
export const IXP_E_SMTP_421_NOT_AVAILABLE = 0x800ccc67;
/** Reply 450: mailbox unavailable (busy), action not taken. */
export const IXP_E_SMTP_450_MAILBOX_BUSY = 0x800ccc68;
/** Reply 550: mailbox unavailable (not found or access denied), action not taken. */
export const IXP_E_SMTP_550_MAILBOX_NOT_FOUND = 0x800ccc69;
/** Reply 451: local error in processing, action aborted. */
export const IXP_E_SMTP_451_ERROR_PROCESSING = 0x800ccc6a;
/** Reply 551: user not local. */
export const IXP_E_SMTP_551_USER_NOT_LOCAL = 0x800ccc6b;
/** Reply 452: insufficient system storage. */
export const IXP_E_SMTP_452_NO_SYSTEM_STORAGE = 0x800ccc6c;
/** Reply 552: exceeded storage allocation. */
export const IXP_E_SMTP_552_STORAGE_OVERFLOW = 0x800ccc6d;
/** Reply 553: mailbox name not allowed. */
export const IXP_E_SMTP_553_MAILBOX_NAME_SYNTAX = 0x800ccc6e;
/** Reply 554: transaction failed. */
export const IXP_E_SMTP_554_TRANSACT_FAILED = 0x800ccc6f;

// SMTP success statuses: HR_S(0xCC70) to HR_S(0xCC79).
// NOTE: these ten codes carry the IXP_E_ prefix but have the success severity, so SUCCEEDED()
// is true for them. The last two share their low 16 bits with IXP_E_SMTP_REJECTED_SENDER and
// IXP_E_SMTP_REJECTED_RECIPIENTS (0x000CCC78 and 0x800CCC78, 0x000CCC79 and 0x800CCC79), so
// compare full values, never HRESULT_CODE().

/** Reply 211: system status. A success code despite the IXP_E_ prefix. */
export const IXP_E_SMTP_211_SYSTEM_STATUS = 0x000ccc70;
/** Reply 214: help message. A success code despite the IXP_E_ prefix. */
export const IXP_E_SMTP_214_HELP_MESSAGE = 0x000ccc71;
/** Reply 220: service ready, the greeting. A success code despite the IXP_E_ prefix. */
export const IXP_E_SMTP_220_READY = 0x000ccc72;
/** Reply 221: service closing the connection, the reply to QUIT. A success code. */
export const IXP_E_SMTP_221_CLOSING = 0x000ccc73;
/** Reply 250: requested action completed. A success code despite the IXP_E_ prefix. */
export const IXP_E_SMTP_250_MAIL_ACTION_OKAY = 0x000ccc74;
/** Reply 251: user not local, the server will forward. A success code. */
export const IXP_E_SMTP_251_FORWARDING_MAIL = 0x000ccc75;
/** Reply 354: start mail input, the reply to DATA. A success code. */
export const IXP_E_SMTP_354_START_MAIL_INPUT = 0x000ccc76;
/** Continue status. Microsoft's pages do not document when it is returned. A success code. */
export const IXP_E_SMTP_CONTINUE = 0x000ccc77;
/**
 * Reply 334: AUTH challenge, the server waits for the next SASL response (RFC 4954).
 * A success code, not to be confused with {@link IXP_E_SMTP_REJECTED_SENDER} (0x800CCC78).
 */
export const IXP_E_SMTP_334_AUTH_READY_RESPONSE = 0x000ccc78;
/**
 * AUTH succeeded. The IDL names reply 245, although RFC 4954 uses 235 for a successful AUTH.
 * A success code, not to be confused with {@link IXP_E_SMTP_REJECTED_RECIPIENTS} (0x800CCC79).
 */
export const IXP_E_SMTP_245_AUTH_SUCCESS = 0x000ccc79;

// More SMTP failures: HR_E(0xCC78) to HR_E(0xCC7F).

/**
 * The server rejected the sender (MAIL FROM) of the message.
 * Not to be confused with {@link IXP_E_SMTP_334_AUTH_READY_RESPONSE} (0x000CCC78).
 */
export const IXP_E_SMTP_REJECTED_SENDER = 0x800ccc78;
/**
 * The server rejected recipients (RCPT TO) of the message.
 * Not to be confused with {@link IXP_E_SMTP_245_AUTH_SUCCESS} (0x000CCC79).
 */
export const IXP_E_SMTP_REJECTED_RECIPIENTS = 0x800ccc79;
/** The address list of the message has no ADDR_FROM entry. */
export const IXP_E_SMTP_NO_SENDER = 0x800ccc7a;
/** The address list of the message has no ADDR_TO entry. */
export const IXP_E_SMTP_NO_RECIPIENTS = 0x800ccc7b;
/** Reply 530: the server requires STARTTLS before this command (RFC 3207). */
export const IXP_E_SMTP_530_STARTTLS_REQUIRED = 0x800ccc7c;
/** A TLS upgrade was required but the server does not offer STARTTLS. */
export const IXP_E_SMTP_NO_STARTTLS_SUPPORT = 0x800ccc7d;
/** A delivery status notification was requested but the server does not support DSN. */
export const IXP_E_SMTP_NO_DSN_SUPPORT = 0x800ccc7e;
/** Reply 454: TLS not available for a temporary reason (RFC 3207). */
export const IXP_E_SMTP_454_STARTTLS_FAILED = 0x800ccc7f;

/**
 * Success status: the server does not support DSN. Microsoft's pages list it as a return of
 * SendMessage and SendMessage2 (oe-ismtptransport-sendmessage, oe-ismtptransport2-sendmessage2)
 * without giving a value, and Wine's header has no IXP_S_ variant.
 *
 * NOTE: the value is this package's guess, HR_S(0xCC7E) derived from the name. No public source
 * gives it. It differs from {@link IXP_E_SMTP_NO_DSN_SUPPORT} (0x800CCC7E) only in severity.
 */
export const IXP_S_SMTP_NO_DSN_SUPPORT = 0x000ccc7e;

/**
 * The IDL name of each HRESULT value above, keyed by the unsigned value. Where two names share a
 * value the map contains the preferred one: "S_OK" over "NOERROR", and Microsoft's
 * "IXP_E_SOCKET_INIT_ERROR" over Wine's "IXP_E_SCOKET_INIT_ERROR".
 */
export const HRESULT_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [S_OK, "S_OK"],
  [S_FALSE, "S_FALSE"],
  [E_NOTIMPL, "E_NOTIMPL"],
  [E_NOINTERFACE, "E_NOINTERFACE"],
  [E_POINTER, "E_POINTER"],
  [E_FAIL, "E_FAIL"],
  [E_UNEXPECTED, "E_UNEXPECTED"],
  [E_INVALIDARG, "E_INVALIDARG"],
  [E_OUTOFMEMORY, "E_OUTOFMEMORY"],
  [CLASS_E_NOAGGREGATION, "CLASS_E_NOAGGREGATION"],
  [CLASS_E_CLASSNOTAVAILABLE, "CLASS_E_CLASSNOTAVAILABLE"],
  [IXP_E_LOAD_SICILY_FAILED, "IXP_E_LOAD_SICILY_FAILED"],
  [IXP_E_INVALID_CERT_CN, "IXP_E_INVALID_CERT_CN"],
  [IXP_E_INVALID_CERT_DATE, "IXP_E_INVALID_CERT_DATE"],
  [IXP_E_ALREADY_CONNECTED, "IXP_E_ALREADY_CONNECTED"],
  [IXP_E_CONN, "IXP_E_CONN"],
  [IXP_E_NOT_CONNECTED, "IXP_E_NOT_CONNECTED"],
  [IXP_E_CONN_SEND, "IXP_E_CONN_SEND"],
  [IXP_E_WOULD_BLOCK, "IXP_E_WOULD_BLOCK"],
  [IXP_E_INVALID_STATE, "IXP_E_INVALID_STATE"],
  [IXP_E_CONN_RECV, "IXP_E_CONN_RECV"],
  [IXP_E_INCOMPLETE, "IXP_E_INCOMPLETE"],
  [IXP_E_BUSY, "IXP_E_BUSY"],
  [IXP_E_NOT_INIT, "IXP_E_NOT_INIT"],
  [IXP_E_CANT_FIND_HOST, "IXP_E_CANT_FIND_HOST"],
  [IXP_E_FAILED_TO_CONNECT, "IXP_E_FAILED_TO_CONNECT"],
  [IXP_E_CONNECTION_DROPPED, "IXP_E_CONNECTION_DROPPED"],
  [IXP_E_INVALID_ADDRESS, "IXP_E_INVALID_ADDRESS"],
  [IXP_E_INVALID_ADDRESS_LIST, "IXP_E_INVALID_ADDRESS_LIST"],
  [IXP_E_SOCKET_READ_ERROR, "IXP_E_SOCKET_READ_ERROR"],
  [IXP_E_SOCKET_WRITE_ERROR, "IXP_E_SOCKET_WRITE_ERROR"],
  [IXP_E_SOCKET_INIT_ERROR, "IXP_E_SOCKET_INIT_ERROR"],
  [IXP_E_SOCKET_CONNECT_ERROR, "IXP_E_SOCKET_CONNECT_ERROR"],
  [IXP_E_INVALID_ACCOUNT, "IXP_E_INVALID_ACCOUNT"],
  [IXP_E_USER_CANCEL, "IXP_E_USER_CANCEL"],
  [IXP_E_SICILY_LOGON_FAILED, "IXP_E_SICILY_LOGON_FAILED"],
  [IXP_E_TIMEOUT, "IXP_E_TIMEOUT"],
  [IXP_E_SECURE_CONNECT_FAILED, "IXP_E_SECURE_CONNECT_FAILED"],
  [IXP_E_SMTP_RESPONSE_ERROR, "IXP_E_SMTP_RESPONSE_ERROR"],
  [IXP_E_SMTP_UNKNOWN_RESPONSE_CODE, "IXP_E_SMTP_UNKNOWN_RESPONSE_CODE"],
  [IXP_E_SMTP_500_SYNTAX_ERROR, "IXP_E_SMTP_500_SYNTAX_ERROR"],
  [IXP_E_SMTP_501_PARAM_SYNTAX, "IXP_E_SMTP_501_PARAM_SYNTAX"],
  [IXP_E_SMTP_502_COMMAND_NOTIMPL, "IXP_E_SMTP_502_COMMAND_NOTIMPL"],
  [IXP_E_SMTP_503_COMMAND_SEQ, "IXP_E_SMTP_503_COMMAND_SEQ"],
  [IXP_E_SMTP_504_COMMAND_PARAM_NOTIMPL, "IXP_E_SMTP_504_COMMAND_PARAM_NOTIMPL"],
  [IXP_E_SMTP_421_NOT_AVAILABLE, "IXP_E_SMTP_421_NOT_AVAILABLE"],
  [IXP_E_SMTP_450_MAILBOX_BUSY, "IXP_E_SMTP_450_MAILBOX_BUSY"],
  [IXP_E_SMTP_550_MAILBOX_NOT_FOUND, "IXP_E_SMTP_550_MAILBOX_NOT_FOUND"],
  [IXP_E_SMTP_451_ERROR_PROCESSING, "IXP_E_SMTP_451_ERROR_PROCESSING"],
  [IXP_E_SMTP_551_USER_NOT_LOCAL, "IXP_E_SMTP_551_USER_NOT_LOCAL"],
  [IXP_E_SMTP_452_NO_SYSTEM_STORAGE, "IXP_E_SMTP_452_NO_SYSTEM_STORAGE"],
  [IXP_E_SMTP_552_STORAGE_OVERFLOW, "IXP_E_SMTP_552_STORAGE_OVERFLOW"],
  [IXP_E_SMTP_553_MAILBOX_NAME_SYNTAX, "IXP_E_SMTP_553_MAILBOX_NAME_SYNTAX"],
  [IXP_E_SMTP_554_TRANSACT_FAILED, "IXP_E_SMTP_554_TRANSACT_FAILED"],
  [IXP_E_SMTP_211_SYSTEM_STATUS, "IXP_E_SMTP_211_SYSTEM_STATUS"],
  [IXP_E_SMTP_214_HELP_MESSAGE, "IXP_E_SMTP_214_HELP_MESSAGE"],
  [IXP_E_SMTP_220_READY, "IXP_E_SMTP_220_READY"],
  [IXP_E_SMTP_221_CLOSING, "IXP_E_SMTP_221_CLOSING"],
  [IXP_E_SMTP_250_MAIL_ACTION_OKAY, "IXP_E_SMTP_250_MAIL_ACTION_OKAY"],
  [IXP_E_SMTP_251_FORWARDING_MAIL, "IXP_E_SMTP_251_FORWARDING_MAIL"],
  [IXP_E_SMTP_354_START_MAIL_INPUT, "IXP_E_SMTP_354_START_MAIL_INPUT"],
  [IXP_E_SMTP_CONTINUE, "IXP_E_SMTP_CONTINUE"],
  [IXP_E_SMTP_334_AUTH_READY_RESPONSE, "IXP_E_SMTP_334_AUTH_READY_RESPONSE"],
  [IXP_E_SMTP_245_AUTH_SUCCESS, "IXP_E_SMTP_245_AUTH_SUCCESS"],
  [IXP_E_SMTP_REJECTED_SENDER, "IXP_E_SMTP_REJECTED_SENDER"],
  [IXP_E_SMTP_REJECTED_RECIPIENTS, "IXP_E_SMTP_REJECTED_RECIPIENTS"],
  [IXP_E_SMTP_NO_SENDER, "IXP_E_SMTP_NO_SENDER"],
  [IXP_E_SMTP_NO_RECIPIENTS, "IXP_E_SMTP_NO_RECIPIENTS"],
  [IXP_E_SMTP_530_STARTTLS_REQUIRED, "IXP_E_SMTP_530_STARTTLS_REQUIRED"],
  [IXP_E_SMTP_NO_STARTTLS_SUPPORT, "IXP_E_SMTP_NO_STARTTLS_SUPPORT"],
  [IXP_E_SMTP_NO_DSN_SUPPORT, "IXP_E_SMTP_NO_DSN_SUPPORT"],
  [IXP_E_SMTP_454_STARTTLS_FAILED, "IXP_E_SMTP_454_STARTTLS_FAILED"],
  [IXP_S_SMTP_NO_DSN_SUPPORT, "IXP_S_SMTP_NO_DSN_SUPPORT"],
]);
