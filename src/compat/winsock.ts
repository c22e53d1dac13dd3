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

const WINSOCK_NAMES: Readonly<Record<number, string>> = {
  10049: "WSAEADDRNOTAVAIL: address not available",
  10050: "WSAENETDOWN: network is down",
  10051: "WSAENETUNREACH: network unreachable",
  10053: "WSAECONNABORTED: connection aborted",
  10054: "WSAECONNRESET: connection reset by the server",
  10060: "WSAETIMEDOUT: connection timed out",
  10061: "WSAECONNREFUSED: connection refused",
  10065: "WSAEHOSTUNREACH: host unreachable",
  11001: "WSAHOST_NOT_FOUND: host not found",
  11002: "WSATRY_AGAIN: temporary name resolution failure",
  11003: "WSANO_RECOVERY: name resolution failed",
  11004: "WSANO_DATA: no address for the name",
};

/** The Winsock constant and meaning of a socket error number, such as "WSAECONNREFUSED: connection refused". */
export function describeWinsockError(error: number): string | undefined {
  return WINSOCK_NAMES[error];
}
