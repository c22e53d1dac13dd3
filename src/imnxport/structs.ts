/**
 * Structures of the SMTP part of `Imnxport.idl`, in the IDL's field order. Fixed-size CHAR
 * arrays become strings, BOOL fields become `boolean` (inputs also accept 0 and 1), and
 * pointers that may be NULL become `| null`.
 *
 * @module
 */

import type { DSNRET, RASCONNTYPE, SMTPCOMMAND } from "./enums.js";
import type { HRESULT } from "./hresults.js";
import type { ISMTPTransport } from "./interfaces.js";
import type { IStream } from "./objidl.js";

/**
 * Server account settings passed to IInternetTransport::Connect, returned by GetServerInfo, and
 * passed to ITransportCallback::OnLogonPrompt. In OnLogonPrompt the client changes only
 * `szUserName` and `szPassword`. The other fields are there for display.
 */
export interface INETSERVER {
  /** Account name (at most CCHMAX_ACCOUNT_NAME - 1 characters). */
  szAccount: string;
  /** User name for authentication. */
  szUserName: string;
  /** Password for authentication. */
  szPassword: string;
  /** Host name or IP address of the server. */
  szServerName: string;
  /** Name of the RAS (dial-up) connection to use. */
  szConnectoid: string;
  /** Network connection type. */
  rasconntype: RASCONNTYPE;
  /** TCP port of the server. */
  dwPort: number;
  /** Secure the connection with SSL/TLS. With ISF_SSLONSAMEPORT in `dwFlags` it means STARTTLS. */
  fSSL: boolean | 0 | 1;
  /** Log on with Secure Password Authentication (Sicily, NTLM). */
  fTrySicily: boolean | 0 | 1;
  /** Server timeout in seconds. */
  dwTimeout: number;
  /** ISF_* bits. */
  dwFlags: number;
}

/** Result details of a command, carried in SMTPRESPONSE.rIxpResult and passed to OnError. */
export interface IXPRESULT {
  /** The transport's result code for the command. */
  hrResult: HRESULT;
  /** The last reply line from the server, or null. */
  pszResponse: string | null;
  /** Numeric reply code from the server (250, 550, ...), or 0 when there is no reply. */
  uiServerError: number;
  /** The HRESULT that corresponds to the server's reply code. */
  hrServerError: HRESULT;
  /** Socket error code, or 0. */
  dwSocketError: number;
  /** Further information about the problem, or null. */
  pszProblem: string | null;
}

/** Progress of the message stream, reported with SMTP_SEND_STREAM. All counts are in bytes. */
export interface SMTPSTREAM {
  /** Bytes sent since the previous SMTP_SEND_STREAM response. */
  cbIncrement: number;
  /** Bytes sent so far. */
  cbCurrent: number;
  /** Total size of the message. */
  cbTotal: number;
}

/** Argument of ISMTPCallback::OnResponse: which command a server reply or progress event is for. */
export interface SMTPRESPONSE {
  /** The command this response is for. */
  command: SMTPCOMMAND;
  /**
   * True when the command has finished, false on the continuation lines (`250-...`) of a
   * multi-line reply. The client waits for true before it issues the next command.
   */
  fDone: boolean;
  /** Result details. When `rIxpResult.hrResult` is a failure the other fields explain it. */
  rIxpResult: IXPRESULT;
  /** The transport that sent the command. */
  pTransport: ISMTPTransport | null;
  /**
   * Stream progress. In the IDL it is the only arm of a union selected by `command`, so it is
   * meaningful only for SMTP_SEND_STREAM and is all zeros otherwise.
   */
  rStreamInfo: SMTPSTREAM;
}

/** One address of a message envelope. */
export interface INETADDR {
  /** An INETADDRTYPE value, possibly OR'ed with ADDR_DSN_* bits for a recipient. */
  addrtype: number;
  /** The address (at most CCHMAX_EMAIL_ADDRESS - 1 characters). */
  szEmail: string;
}

/** The sender and the recipients of a message. */
export interface INETADDRLIST {
  /** Number of entries in `prgAddress` that are used. */
  cAddress: number;
  /** The addresses: one ADDR_FROM entry and one or more ADDR_TO entries. */
  prgAddress: INETADDR[];
}

/**
 * Source of a message's bytes. The IDL's type is IStream. A Node readable stream and an async
 * iterable of byte chunks are this package's extension.
 */
export type MessageSource = IStream | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

/** The message that ISMTPTransport::SendMessage sends. */
export interface SMTPMESSAGE {
  /** Message size in bytes. */
  cbSize: number;
  /** The message, an RFC 822 / MIME document. */
  pstmMsg: MessageSource;
  /** The envelope sender and recipients. */
  rAddressList: INETADDRLIST;
}

/**
 * The message that ISMTPTransport2::SendMessage2 sends, with delivery status notification
 * (DSN, RFC 1891, now RFC 3461) parameters. DSN needs a server that supports it and a session
 * started with EHLO.
 */
export interface SMTPMESSAGE2 {
  /** The message and its envelope. */
  smtpMsg: SMTPMESSAGE;
  /** Envelope ID for matching a DSN to the message (the ENVID parameter of MAIL), or null. */
  pszDSNENVID: string | null;
  /** How much of the message a DSN returns (the RET parameter of MAIL). */
  dsnRet: DSNRET;
  /** Reserved, not to be used (Microsoft's SMTPMESSAGE2 page). */
  dwReserved: number;
  /** Reserved, not to be used (Microsoft's SMTPMESSAGE2 page). */
  dwReserved2: number;
}
