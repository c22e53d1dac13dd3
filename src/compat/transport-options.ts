import type { Clock } from "./log/protocol-log.js";
import { type NetworkSeam, systemNetwork } from "./net/connection.js";
import type { TlsOptions } from "./net/tls.js";
import type { AuthSettings, NtlmSettings } from "./session/mechanisms.js";
import { checkEhloName } from "./wire/address.js";

/** Options of this package that the IDL has no place for. */
export interface TransportOptions {
  /**
   * The name sent with EHLO and HELO. By default the machine's host name when it is fully
   * qualified, else the local address literal (RFC 5321 §4.1.4).
   */
  clientName?: string;
  /** The host name resolver and socket factory, replaced by tests and custom resolvers. */
  network?: Partial<NetworkSeam>;
  /** The clock that stamps the protocol log file's lines; tests pass a fixed one. */
  clock?: Clock;
  /** Trusted certificates and the lowest TLS version for implicit TLS and STARTTLS. */
  tls?: TlsOptions;
  /**
   * Send credentials over a connection without TLS to a server that is not on loopback. Off by
   * default: OE did this, and every network hop could read the password.
   */
  allowCleartextAuth?: boolean;
  /** An OAuth 2.0 access token for XOAUTH2, used instead of the password when the server lists it. */
  xoauth2?: { username: string; accessToken: string };
  /** NTLM (fTrySicily) settings: the Windows domain and workstation name. */
  ntlm?: NtlmSettings;
  /**
   * Send MAIL and all RCPTs of a message together when the server lists PIPELINING (RFC 2920).
   * Off by default, because OE waited for each reply; the callbacks are the same either way.
   */
  pipelining?: boolean;
}

/** TransportOptions with defaults applied and the client name checked. */
export interface ResolvedOptions {
  clientName: string | null;
  network: NetworkSeam;
  clock: Clock | undefined;
  tls: TlsOptions;
  auth: AuthSettings;
  pipelining: boolean;
}

/** Apply the defaults; throws TypeError for a client name that is not a domain or address literal. */
export function resolveOptions(options: TransportOptions): ResolvedOptions {
  let clientName: string | null = null;
  if (options.clientName !== undefined) {
    const check = checkEhloName(options.clientName);
    if (!check.ok) {
      throw new TypeError(
        `Invalid clientName ${JSON.stringify(options.clientName)}: ${check.reason}`,
      );
    }
    clientName = check.name;
  }

  return {
    clientName,
    network: { ...systemNetwork, ...options.network },
    clock: options.clock,
    tls: { ...options.tls },
    auth: {
      allowCleartext: options.allowCleartextAuth === true,
      xoauth2: options.xoauth2 === undefined ? null : { ...options.xoauth2 },
      ntlm: { ...options.ntlm },
    },
    pipelining: options.pipelining === true,
  };
}
