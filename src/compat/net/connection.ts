import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, type Socket, connect as tcpConnect } from "node:net";

/** One resolved address of the server. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolve a host name to every address, in the resolver's order. Rejects with a Node error. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** Open a TCP connection; the socket is returned before it is connected. */
export type SocketFactory = (address: ResolvedAddress, port: number) => Socket;

/** The network seam: how host names are resolved and sockets opened. Tests replace it. */
export interface NetworkSeam {
  resolve: HostResolver;
  openSocket: SocketFactory;
}

async function resolveWithSystem(hostname: string): Promise<ResolvedAddress[]> {
  const family = isIP(hostname);
  if (family !== 0) {
    return [{ address: hostname, family: family as 4 | 6 }];
  }

  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
}

function openTcpSocket(address: ResolvedAddress, port: number): Socket {
  return tcpConnect({ host: address.address, port, family: address.family, noDelay: true });
}

/** The system resolver (`dns.lookup`, so /etc/hosts applies) and plain TCP sockets. */
export const systemNetwork: NetworkSeam = {
  resolve: resolveWithSystem,
  openSocket: openTcpSocket,
};

/** The Node error code of an error, such as `ECONNREFUSED`, if it has one. */
export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }

  return undefined;
}
