/**
 * Winsock error numbers for Node's socket and resolver error codes.
 *
 * OE's error dialogs showed `Socket Error: 10061` and users search for those numbers, so
 * IXPRESULT.dwSocketError carries the Winsock value rather than the POSIX errno.
 */
const WINSOCK_ERRORS: Readonly<Record<string, number>> = {
  ECONNREFUSED: 10061,
  ETIMEDOUT: 10060,
  ENETUNREACH: 10051,
  EHOSTUNREACH: 10065,
  ECONNRESET: 10054,
  ECONNABORTED: 10053,
  EADDRNOTAVAIL: 10049,
  ENETDOWN: 10050,
  ENOTFOUND: 11001,
  EAI_NONAME: 11001,
  EAI_AGAIN: 11002,
  EAI_FAIL: 11003,
  ENODATA: 11004,
};

/** WSAECONNRESET: the peer reset the connection. */
export const WSAECONNRESET = 10054;

/** WSAETIMEDOUT: the connection attempt timed out. */
export const WSAETIMEDOUT = 10060;

/** Return the Winsock number for a Node error code, or 0 when there is none. */
export function winsockErrorFor(code: string | undefined): number {
  if (code === undefined) {
    return 0;
  }

  return WINSOCK_ERRORS[code] ?? 0;
}
