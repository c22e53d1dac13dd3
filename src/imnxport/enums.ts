/**
 * Enumerations of the SMTP part of `Imnxport.idl` (and SMTPAUTHTYPE from `Imnact.idl`).
 *
 * Each enum is an `as const` object with a type of the same name. Every member is also exported
 * as a bare constant (`SMTP_CONNECTED`), the way C and C++ code names it. Values agree between
 * Microsoft's reference pages and Wine's IDL files.
 *
 * @module
 */

/** The command an {@link SMTPRESPONSE} reports on (ISMTPCallback::OnResponse). */
export const SMTPCOMMAND = {
  /** No current command. */
  SMTP_NONE: 0,
  /** The server greeting arrived. The transport sends HELO or EHLO next. */
  SMTP_BANNER: 1,
  /** Connect finished: the session is established, and authenticated if that was requested. */
  SMTP_CONNECTED: 2,
  /** SendMessage or SendMessage2 finished sending the message. */
  SMTP_SEND_MESSAGE: 3,
  /** AUTH was sent. */
  SMTP_AUTH: 4,
  /** EHLO was sent. */
  SMTP_EHLO: 5,
  /** HELO was sent. */
  SMTP_HELO: 6,
  /** MAIL FROM was sent. */
  SMTP_MAIL: 7,
  /** RCPT TO was sent. */
  SMTP_RCPT: 8,
  /** RSET was sent. */
  SMTP_RSET: 9,
  /** QUIT was sent and the client closes the connection. */
  SMTP_QUIT: 10,
  /** DATA was sent. The message stream follows. */
  SMTP_DATA: 11,
  /** The end-of-data dot was sent. The transport then releases the message stream. */
  SMTP_DOT: 12,
  /** Progress of the message stream, described by {@link SMTPRESPONSE.rStreamInfo}. */
  SMTP_SEND_STREAM: 13,
  /** A custom protocol command was sent. */
  SMTP_CUSTOM: 14,
} as const;
/** One of the {@link SMTPCOMMAND} values. */
export type SMTPCOMMAND = (typeof SMTPCOMMAND)[keyof typeof SMTPCOMMAND];

/**
 * Connection status that ITransportCallback::OnStatus reports and IInternetTransport::GetStatus
 * returns.
 */
export const IXPSTATUS = {
  /** Resolving the host name. */
  IXP_FINDINGHOST: 0,
  /** Opening the TCP connection. */
  IXP_CONNECTING: 1,
  /** TCP connected, SSL/TLS handshake in progress. */
  IXP_SECURING: 2,
  /** Connected and waiting for a protocol response. */
  IXP_CONNECTED: 3,
  /** Authorization in progress. */
  IXP_AUTHORIZING: 4,
  /** Retrying authorization. */
  IXP_AUTHRETRY: 5,
  /** Authorization succeeded. Always followed at once by {@link IXPSTATUS.IXP_CONNECTED}. */
  IXP_AUTHORIZED: 6,
  /** The connection is closing. */
  IXP_DISCONNECTING: 7,
  /** Disconnected. */
  IXP_DISCONNECTED: 8,
  /** One past the last status, for range checks only. Never reported. */
  IXP_LAST: 9,
} as const;
/** One of the {@link IXPSTATUS} values. */
export type IXPSTATUS = (typeof IXPSTATUS)[keyof typeof IXPSTATUS];

/** Protocol of a transport, returned by IInternetTransport::GetIXPType. */
export const IXPTYPE = {
  /** NNTP transport. */
  IXP_NNTP: 0,
  /** SMTP transport, the one this package implements. */
  IXP_SMTP: 1,
  /** POP3 transport. */
  IXP_POP3: 2,
  /** IMAP transport. */
  IXP_IMAP: 3,
  /** RAS (dial-up) transport. */
  IXP_RAS: 4,
  /** HTTPMail (Hotmail WebDAV) transport. The mixed case is the IDL's. */
  IXP_HTTPMail: 5,
} as const;
/** One of the {@link IXPTYPE} values. */
export type IXPTYPE = (typeof IXPTYPE)[keyof typeof IXPTYPE];

/** State that IInternetTransport::IsState tests. IsState returns S_OK if it holds, else S_FALSE. */
export const IXPISSTATE = {
  /** The transport is connected. */
  IXP_IS_CONNECTED: 0,
  /** The transport is processing a command. */
  IXP_IS_BUSY: 1,
  /** The transport is ready for a command. */
  IXP_IS_READY: 2,
  /** The connection has been authenticated. */
  IXP_IS_AUTHENTICATED: 3,
} as const;
/** One of the {@link IXPISSTATE} values. */
export type IXPISSTATE = (typeof IXPISSTATE)[keyof typeof IXPISSTATE];

/** Direction of a protocol line passed to ITransportCallback::OnCommand. */
export const CMDTYPE = {
  /** A command line sent to the server. */
  CMD_SEND: 0,
  /** A reply line received from the server. */
  CMD_RESP: 1,
} as const;
/** One of the {@link CMDTYPE} values. */
export type CMDTYPE = (typeof CMDTYPE)[keyof typeof CMDTYPE];

/**
 * Role of an {@link INETADDR}, optionally OR'ed with DSN request bits. The low bit
 * ({@link ADDR_TOFROM_MASK}) tells sender from recipient, and the bits in {@link ADDR_DSN_MASK}
 * request delivery status notifications (RFC 1891, now RFC 3461). DSN bits need a server that
 * supports DSN and a session started with EHLO.
 */
export const INETADDRTYPE = {
  /** A recipient: To, Cc or Bcc. */
  ADDR_TO: 0,
  /** The sender. */
  ADDR_FROM: 1,
  /** Suppress every DSN for this recipient (NOTIFY=NEVER). */
  ADDR_DSN_NEVER: 0x10,
  /** Request a DSN on successful delivery (NOTIFY=SUCCESS). */
  ADDR_DSN_SUCCESS: 0x20,
  /** Request a DSN on delivery failure (NOTIFY=FAILURE). */
  ADDR_DSN_FAILURE: 0x40,
  /** Request a DSN when delivery is delayed (NOTIFY=DELAY). */
  ADDR_DSN_DELAY: 0x80,
} as const;
/** One of the {@link INETADDRTYPE} values. Combinations with DSN bits are plain numbers. */
export type INETADDRTYPE = (typeof INETADDRTYPE)[keyof typeof INETADDRTYPE];

/** Part of the message that a bounce returns: the RET parameter of MAIL (SMTPMESSAGE2.dsnRet). */
export const DSNRET = {
  /** Leave the choice to the server (no RET parameter). */
  DSNRET_DEFAULT: 0,
  /** Return only the headers (RET=HDRS). */
  DSNRET_HDRS: 1,
  /** Return the full message (RET=FULL). */
  DSNRET_FULL: 2,
} as const;
/** One of the {@link DSNRET} values. */
export type DSNRET = (typeof DSNRET)[keyof typeof DSNRET];

/**
 * Network connection type of an account (INETSERVER.rasconntype). Microsoft's page gives no
 * meanings, so the member descriptions go by the names only. Wine's SMTP transport ignores it.
 */
export const RASCONNTYPE = {
  /** Local network, by the name. */
  RAS_CONNECT_LAN: 0,
  /** Dial-up opened by the user, by the name. */
  RAS_CONNECT_MANUAL: 1,
  /** Dial-up through the RAS connection named in `szConnectoid`, by the name. */
  RAS_CONNECT_RAS: 2,
} as const;
/** One of the {@link RASCONNTYPE} values. */
export type RASCONNTYPE = (typeof RASCONNTYPE)[keyof typeof RASCONNTYPE];

/**
 * SMTP authentication setting of an OE account (`Imnact.idl`). It is an account property, not a
 * transport parameter, and Microsoft's page marks it "do not use".
 */
export const SMTPAUTHTYPE = {
  /** No SMTP authentication. */
  SMTP_AUTH_NONE: 0,
  /** Secure Password Authentication (Sicily). */
  SMTP_AUTH_SICILY: 1,
  /** Log on with the account's POP3 or IMAP credentials. */
  SMTP_AUTH_USE_POP3ORIMAP_SETTINGS: 2,
  /** Log on with the account's own SMTP credentials. */
  SMTP_AUTH_USE_SMTP_SETTINGS: 3,
} as const;
/** One of the {@link SMTPAUTHTYPE} values. */
export type SMTPAUTHTYPE = (typeof SMTPAUTHTYPE)[keyof typeof SMTPAUTHTYPE];

// Bare constants, one per enum member, as C and C++ code spells them.

/** {@inheritDoc SMTPCOMMAND.SMTP_NONE} */
export const SMTP_NONE = SMTPCOMMAND.SMTP_NONE;
/** {@inheritDoc SMTPCOMMAND.SMTP_BANNER} */
export const SMTP_BANNER = SMTPCOMMAND.SMTP_BANNER;
/** {@inheritDoc SMTPCOMMAND.SMTP_CONNECTED} */
export const SMTP_CONNECTED = SMTPCOMMAND.SMTP_CONNECTED;
/** {@inheritDoc SMTPCOMMAND.SMTP_SEND_MESSAGE} */
export const SMTP_SEND_MESSAGE = SMTPCOMMAND.SMTP_SEND_MESSAGE;
/** {@inheritDoc SMTPCOMMAND.SMTP_AUTH} */
export const SMTP_AUTH = SMTPCOMMAND.SMTP_AUTH;
/** {@inheritDoc SMTPCOMMAND.SMTP_EHLO} */
export const SMTP_EHLO = SMTPCOMMAND.SMTP_EHLO;
/** {@inheritDoc SMTPCOMMAND.SMTP_HELO} */
export const SMTP_HELO = SMTPCOMMAND.SMTP_HELO;
/** {@inheritDoc SMTPCOMMAND.SMTP_MAIL} */
export const SMTP_MAIL = SMTPCOMMAND.SMTP_MAIL;
/** {@inheritDoc SMTPCOMMAND.SMTP_RCPT} */
export const SMTP_RCPT = SMTPCOMMAND.SMTP_RCPT;
/** {@inheritDoc SMTPCOMMAND.SMTP_RSET} */
export const SMTP_RSET = SMTPCOMMAND.SMTP_RSET;
/** {@inheritDoc SMTPCOMMAND.SMTP_QUIT} */
export const SMTP_QUIT = SMTPCOMMAND.SMTP_QUIT;
/** {@inheritDoc SMTPCOMMAND.SMTP_DATA} */
export const SMTP_DATA = SMTPCOMMAND.SMTP_DATA;
/** {@inheritDoc SMTPCOMMAND.SMTP_DOT} */
export const SMTP_DOT = SMTPCOMMAND.SMTP_DOT;
/** {@inheritDoc SMTPCOMMAND.SMTP_SEND_STREAM} */
export const SMTP_SEND_STREAM = SMTPCOMMAND.SMTP_SEND_STREAM;
/** {@inheritDoc SMTPCOMMAND.SMTP_CUSTOM} */
export const SMTP_CUSTOM = SMTPCOMMAND.SMTP_CUSTOM;

/** {@inheritDoc IXPSTATUS.IXP_FINDINGHOST} */
export const IXP_FINDINGHOST = IXPSTATUS.IXP_FINDINGHOST;
/** {@inheritDoc IXPSTATUS.IXP_CONNECTING} */
export const IXP_CONNECTING = IXPSTATUS.IXP_CONNECTING;
/** {@inheritDoc IXPSTATUS.IXP_SECURING} */
export const IXP_SECURING = IXPSTATUS.IXP_SECURING;
/** {@inheritDoc IXPSTATUS.IXP_CONNECTED} */
export const IXP_CONNECTED = IXPSTATUS.IXP_CONNECTED;
/** {@inheritDoc IXPSTATUS.IXP_AUTHORIZING} */
export const IXP_AUTHORIZING = IXPSTATUS.IXP_AUTHORIZING;
/** {@inheritDoc IXPSTATUS.IXP_AUTHRETRY} */
export const IXP_AUTHRETRY = IXPSTATUS.IXP_AUTHRETRY;
/** {@inheritDoc IXPSTATUS.IXP_AUTHORIZED} */
export const IXP_AUTHORIZED = IXPSTATUS.IXP_AUTHORIZED;
/** {@inheritDoc IXPSTATUS.IXP_DISCONNECTING} */
export const IXP_DISCONNECTING = IXPSTATUS.IXP_DISCONNECTING;
/** {@inheritDoc IXPSTATUS.IXP_DISCONNECTED} */
export const IXP_DISCONNECTED = IXPSTATUS.IXP_DISCONNECTED;
/** {@inheritDoc IXPSTATUS.IXP_LAST} */
export const IXP_LAST = IXPSTATUS.IXP_LAST;

/** {@inheritDoc IXPTYPE.IXP_NNTP} */
export const IXP_NNTP = IXPTYPE.IXP_NNTP;
/** {@inheritDoc IXPTYPE.IXP_SMTP} */
export const IXP_SMTP = IXPTYPE.IXP_SMTP;
/** {@inheritDoc IXPTYPE.IXP_POP3} */
export const IXP_POP3 = IXPTYPE.IXP_POP3;
/** {@inheritDoc IXPTYPE.IXP_IMAP} */
export const IXP_IMAP = IXPTYPE.IXP_IMAP;
/** {@inheritDoc IXPTYPE.IXP_RAS} */
export const IXP_RAS = IXPTYPE.IXP_RAS;
/** {@inheritDoc IXPTYPE.IXP_HTTPMail} */
export const IXP_HTTPMail = IXPTYPE.IXP_HTTPMail;

/** {@inheritDoc IXPISSTATE.IXP_IS_CONNECTED} */
export const IXP_IS_CONNECTED = IXPISSTATE.IXP_IS_CONNECTED;
/** {@inheritDoc IXPISSTATE.IXP_IS_BUSY} */
export const IXP_IS_BUSY = IXPISSTATE.IXP_IS_BUSY;
/** {@inheritDoc IXPISSTATE.IXP_IS_READY} */
export const IXP_IS_READY = IXPISSTATE.IXP_IS_READY;
/** {@inheritDoc IXPISSTATE.IXP_IS_AUTHENTICATED} */
export const IXP_IS_AUTHENTICATED = IXPISSTATE.IXP_IS_AUTHENTICATED;

/** {@inheritDoc CMDTYPE.CMD_SEND} */
export const CMD_SEND = CMDTYPE.CMD_SEND;
/** {@inheritDoc CMDTYPE.CMD_RESP} */
export const CMD_RESP = CMDTYPE.CMD_RESP;

/** {@inheritDoc INETADDRTYPE.ADDR_TO} */
export const ADDR_TO = INETADDRTYPE.ADDR_TO;
/** {@inheritDoc INETADDRTYPE.ADDR_FROM} */
export const ADDR_FROM = INETADDRTYPE.ADDR_FROM;
/** {@inheritDoc INETADDRTYPE.ADDR_DSN_NEVER} */
export const ADDR_DSN_NEVER = INETADDRTYPE.ADDR_DSN_NEVER;
/** {@inheritDoc INETADDRTYPE.ADDR_DSN_SUCCESS} */
export const ADDR_DSN_SUCCESS = INETADDRTYPE.ADDR_DSN_SUCCESS;
/** {@inheritDoc INETADDRTYPE.ADDR_DSN_FAILURE} */
export const ADDR_DSN_FAILURE = INETADDRTYPE.ADDR_DSN_FAILURE;
/** {@inheritDoc INETADDRTYPE.ADDR_DSN_DELAY} */
export const ADDR_DSN_DELAY = INETADDRTYPE.ADDR_DSN_DELAY;

/** {@inheritDoc DSNRET.DSNRET_DEFAULT} */
export const DSNRET_DEFAULT = DSNRET.DSNRET_DEFAULT;
/** {@inheritDoc DSNRET.DSNRET_HDRS} */
export const DSNRET_HDRS = DSNRET.DSNRET_HDRS;
/** {@inheritDoc DSNRET.DSNRET_FULL} */
export const DSNRET_FULL = DSNRET.DSNRET_FULL;

/** {@inheritDoc RASCONNTYPE.RAS_CONNECT_LAN} */
export const RAS_CONNECT_LAN = RASCONNTYPE.RAS_CONNECT_LAN;
/** {@inheritDoc RASCONNTYPE.RAS_CONNECT_MANUAL} */
export const RAS_CONNECT_MANUAL = RASCONNTYPE.RAS_CONNECT_MANUAL;
/** {@inheritDoc RASCONNTYPE.RAS_CONNECT_RAS} */
export const RAS_CONNECT_RAS = RASCONNTYPE.RAS_CONNECT_RAS;

/** {@inheritDoc SMTPAUTHTYPE.SMTP_AUTH_NONE} */
export const SMTP_AUTH_NONE = SMTPAUTHTYPE.SMTP_AUTH_NONE;
/** {@inheritDoc SMTPAUTHTYPE.SMTP_AUTH_SICILY} */
export const SMTP_AUTH_SICILY = SMTPAUTHTYPE.SMTP_AUTH_SICILY;
/** {@inheritDoc SMTPAUTHTYPE.SMTP_AUTH_USE_POP3ORIMAP_SETTINGS} */
export const SMTP_AUTH_USE_POP3ORIMAP_SETTINGS = SMTPAUTHTYPE.SMTP_AUTH_USE_POP3ORIMAP_SETTINGS;
/** {@inheritDoc SMTPAUTHTYPE.SMTP_AUTH_USE_SMTP_SETTINGS} */
export const SMTP_AUTH_USE_SMTP_SETTINGS = SMTPAUTHTYPE.SMTP_AUTH_USE_SMTP_SETTINGS;
