import type { Socket } from "node:net";
import { hostname } from "node:os";
import {
  DEFAULT_SMTP_PORT,
  DEFAULT_SMTP_SSL_PORT,
  ISF_QUERYAUTHSUPPORT,
  ISF_QUERYDSNSUPPORT,
  ISF_SMTP_USEIPFORHELO,
  ISF_SSLONSAMEPORT,
} from "../../imnxport/constants.js";
import type { INETSERVER } from "../../imnxport/structs.js";
import type { TlsOptions } from "../net/tls.js";
import { checkEhloName, formatAddressLiteral } from "../wire/address.js";
import type { ConnectFlow } from "./connect-flow.js";
import type { Reply } from "./session.js";

/** Connect's decisions before the first byte: where to connect and how to greet. */
export interface ConnectPlan {
  host: string;
  port: number;
  /** EHLO rather than HELO (fAuthenticate, a TLS mode, ISF_QUERYAUTHSUPPORT or ISF_QUERYDSNSUPPORT). */
  useEhlo: boolean;
  /** EHLO failures may not fall back to HELO because TLS or AUTH needs EHLO. */
  ehloRequired: boolean;
  /** ISF_SMTP_USEIPFORHELO: always greet with the local address literal. */
  useIpForHelo: boolean;
  /** A caller-chosen EHLO/HELO name (an extension), already checked. */
  clientName: string | null;
  /**
   * "implicit": TLS before the greeting (fSSL alone). "starttls": STARTTLS required (fSSL with
   * ISF_SSLONSAMEPORT). "opportunistic": STARTTLS when offered (ISF_SSLONSAMEPORT alone).
   */
  tls: TlsMode;
  tlsOptions: TlsOptions;
  /** Runs after the last EHLO or HELO reply; authentication plugs in here. */
  afterHello?: (flow: ConnectFlow, reply: Reply) => void;
}

/** The TLS mode of Connect, from INETSERVER.fSSL and ISF_SSLONSAMEPORT. */
export type TlsMode = "none" | "implicit" | "starttls" | "opportunistic";

/**
 * Choose the EHLO/HELO argument (RFC 5321 §4.1.4): a caller-chosen name, else this machine's
 * name when it is fully qualified, else the socket's local address as an address literal. OE sent the bare
 * computer name, which servers that check HELO reject.
 */
export function clientNameFor(
  chosen: string | null,
  useIpForHelo: boolean,
  socket: Socket | null,
): string {
  if (chosen !== null) {
    return chosen;
  }

  const machine = hostname();
  if (!useIpForHelo && machine.includes(".") && checkEhloName(machine).ok) {
    return machine;
  }

  return formatAddressLiteral(socket?.localAddress ?? "127.0.0.1");
}

/** Connect's arguments that decide the plan, after their checks. */
export interface ConnectRequest {
  server: INETSERVER;
  authenticate: boolean;
  clientName: string | null;
  tlsOptions: TlsOptions;
}

/**
 * Decide how to connect. fSSL with ISF_SSLONSAMEPORT is STARTTLS (required), fSSL alone is
 * implicit TLS, and ISF_SSLONSAMEPORT alone is STARTTLS when offered. Port 0 means 465 for
 * implicit TLS and 25 otherwise. EHLO is sent when authentication, STARTTLS or a capability
 * query needs it, and it falls back to HELO only when neither TLS nor AUTH depends on it.
 */
export function planConnect(request: ConnectRequest): ConnectPlan {
  const { server } = request;
  const flags = server.dwFlags;
  const samePort = (flags & ISF_SSLONSAMEPORT) !== 0;
  const ssl = server.fSSL === true || server.fSSL === 1;
  const tls: TlsMode = ssl
    ? samePort
      ? "starttls"
      : "implicit"
    : samePort
      ? "opportunistic"
      : "none";
  const queries = (flags & (ISF_QUERYAUTHSUPPORT | ISF_QUERYDSNSUPPORT)) !== 0;
  const usesStartTls = tls === "starttls" || tls === "opportunistic";

  return {
    host: server.szServerName,
    port:
      server.dwPort > 0
        ? server.dwPort
        : tls === "implicit"
          ? DEFAULT_SMTP_SSL_PORT
          : DEFAULT_SMTP_PORT,
    useEhlo: request.authenticate || usesStartTls || queries,
    ehloRequired: request.authenticate || tls === "starttls",
    useIpForHelo: (flags & ISF_SMTP_USEIPFORHELO) !== 0,
    clientName: request.clientName,
    tls,
    tlsOptions: request.tlsOptions,
  };
}
