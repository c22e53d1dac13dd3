/**
 * Constants and scalar type names of `Imnxport.idl` and `Imnact.idl` that the SMTP transport
 * uses, plus the Win32 MessageBox values that ITransportCallback::OnPrompt deals in.
 *
 * @module
 */

// Win32 scalar types, as this package maps them.

/**
 * Win32 BOOL. It is `boolean` here, and {@link TRUE}/{@link FALSE} are `true`/`false`. Inputs
 * declared `boolean | 0 | 1` also accept the integers, because code ported from C and C++ passes
 * TRUE and FALSE as 1 and 0.
 */
export type BOOL = boolean;
/** Win32 DWORD: unsigned 32-bit integer. */
export type DWORD = number;
/** Win32 ULONG: unsigned 32-bit integer. */
export type ULONG = number;
/** Win32 UINT: unsigned 32-bit integer. */
export type UINT = number;
/** Win32 LPSTR: an ANSI C string in OE, a JavaScript string here. */
export type LPSTR = string;

/** Win32 TRUE. */
export const TRUE = true;
/** Win32 FALSE. */
export const FALSE = false;

// Default ports (Imnxport.idl).

/** Default SMTP port. */
export const DEFAULT_SMTP_PORT = 25;
/** Default POP3 port, listed for completeness (this package has no POP3 transport). */
export const DEFAULT_POP3_PORT = 110;
/** Default IMAP port, listed for completeness (this package has no IMAP transport). */
export const DEFAULT_IMAP_PORT = 143;
/** Default NNTP port, listed for completeness (this package has no NNTP transport). */
export const DEFAULT_NNTP_PORT = 119;
/**
 * Port for SMTP over implicit TLS. This name is the package's own, because the IDL defines no
 * constant for it. OE used 465 for SMTP with "Secure(SSL): Yes" (Microsoft KB Q176102 shows that
 * error dialog), and RFC 8314 §7.3 registers 465 for submission over implicit TLS.
 */
export const DEFAULT_SMTP_SSL_PORT = 465;

// Buffer sizes in characters. The terminating NUL counts, so a size of 256 fits 255 characters.
// CCHMAX_DOMAIN and CCHMAX_PHONE_NUMBER come from Imnxport.idl, the rest from Imnact.idl.

/** Size of a domain name buffer. */
export const CCHMAX_DOMAIN = 256;
/** Size of a phone number buffer. */
export const CCHMAX_PHONE_NUMBER = 128;
/** Size of an account's organization name buffer. */
export const CCHMAX_ORG_NAME = 256;
/** Size of an account's display name buffer. */
export const CCHMAX_DISPLAY_NAME = 256;
/** Size of INETSERVER.szAccount. */
export const CCHMAX_ACCOUNT_NAME = 256;
/** Size of INETSERVER.szServerName. */
export const CCHMAX_SERVER_NAME = 256;
/** Size of INETSERVER.szPassword. */
export const CCHMAX_PASSWORD = 256;
/** Size of INETSERVER.szUserName. */
export const CCHMAX_USERNAME = 256;
/** Size of INETADDR.szEmail. */
export const CCHMAX_EMAIL_ADDRESS = 256;
/** Size of INETSERVER.szConnectoid, the RAS connection name. */
export const CCHMAX_CONNECTOID = 256;
/** Size of an account's directory search base buffer. */
export const CCHMAX_SEARCH_BASE = 256;
/** Size of an account's IMAP root folder buffer. */
export const CCHMAX_ROOT_FOLDER = 256;
/** Size of an account's signature buffer. */
export const CCHMAX_SIGNATURE = 16;
/** Size of an account's service name buffer. */
export const CCHMAX_SERVICE = 256;

// INETADDR.addrtype masks.

/** Bit of INETADDR.addrtype that distinguishes ADDR_FROM (1) from ADDR_TO (0). */
export const ADDR_TOFROM_MASK = 0x1;
/** Bits of INETADDR.addrtype that hold the ADDR_DSN_* requests. */
export const ADDR_DSN_MASK = 0xf0;

// Named values for IInternetTransport::Connect's BOOL arguments.

/** Connect's `fAuthenticate`: log on to the server. */
export const iitAUTHENTICATE = true;
/**
 * Connect's `fAuthenticate`: do not log on. Microsoft's spelling. Wine's IDL spells it
 * `iitDONT_AUTHENTICATe`.
 */
export const iitDONT_AUTHENTICATE = false;
/** Connect's `fCommandLogging`: report every protocol line through OnCommand. */
export const iitENABLE_ONCOMMAND = true;
/** Connect's `fCommandLogging`: never call OnCommand. */
export const iitDISABLE_ONCOMMAND = false;

// INETSERVER.dwFlags bits.

/**
 * Microsoft's page describes it only as concerning the HELO or EHLO command. The name suggests
 * an IP address literal as the HELO/EHLO argument.
 */
export const ISF_SMTP_USEIPFORHELO = 0x01;
/** Always prompt for the password, never save it. */
export const ISF_ALWAYSPROMPTFORPASSWORD = 0x02;
/** Secure the connection with STARTTLS on the same port (SMTP only). */
export const ISF_SSLONSAMEPORT = 0x04;
/** Send EHLO when connecting and check for DSN support (SMTP only). */
export const ISF_QUERYDSNSUPPORT = 0x08;
/** Send EHLO when connecting and check for AUTH support (SMTP only). */
export const ISF_QUERYAUTHSUPPORT = 0x10;

// MessageBox values (winuser.h) for ITransportCallback::OnPrompt.

/** MessageBox result: OK. */
export const IDOK = 1;
/** MessageBox result: Cancel. */
export const IDCANCEL = 2;
/** MessageBox result: Abort. */
export const IDABORT = 3;
/** MessageBox result: Retry. */
export const IDRETRY = 4;
/** MessageBox result: Ignore. */
export const IDIGNORE = 5;
/** MessageBox result: Yes. */
export const IDYES = 6;
/** MessageBox result: No. */
export const IDNO = 7;
/** MessageBox style: an OK button only. */
export const MB_OK = 0x0;
/** MessageBox style: Yes and No buttons. */
export const MB_YESNO = 0x4;
/** MessageBox style: exclamation-point icon. */
export const MB_ICONEXCLAMATION = 0x30;
