import type { TlsOptions } from "../compat/net/tls.js";
import { ISF_SSLONSAMEPORT } from "../imnxport/constants.js";
import { ADDR_FROM, ADDR_TO } from "../imnxport/enums.js";
import type { INETSERVER, SMTPMESSAGE } from "../imnxport/structs.js";
import type { MessageInput } from "./message-input.js";

/** The server and settings of a session that {@link connect} opens. */
export interface ConnectOptions {
  /** Host name or IP address of the SMTP server. */
  host: string;
  /** TCP port. The default is 25, or 465 with implicit TLS. */
  port?: number;
  /**
   * `"implicit"` starts TLS before the greeting; `"starttls"` requires the server to offer
   * STARTTLS (RFC 3207) and upgrades after EHLO. The default is a plaintext session. A
   * certificate that fails verification ends the session with `IXP_E_INVALID_CERT_CN`,
   * `IXP_E_INVALID_CERT_DATE` or `IXP_E_SECURE_CONNECT_FAILED`.
   */
  tls?: "implicit" | "starttls";
  /** Trusted certificates in PEM for TLS, in place of Node's bundled roots. */
  ca?: TlsOptions["ca"];
  /**
   * Log on with SMTP AUTH (CRAM-MD5, PLAIN or LOGIN, the first the server lists). Credentials
   * cross only TLS or a loopback connection, unless `allowCleartextAuth` is set. A server that
   * lists no AUTH gets no logon.
   */
  auth?: { user: string; password: string };
  /** Send credentials without TLS to a server that is not on loopback. */
  allowCleartextAuth?: boolean;
  /** Seconds to wait for the connection and for each reply. The default is 60. */
  timeoutSeconds?: number;
  /** The name sent with HELO or EHLO; by default the host name, or the local address literal. */
  clientName?: string;
  /** Path of the protocol log file that InitNew writes, or none. */
  logFile?: string;
  /**
   * Drops the connection when aborted. While connecting, {@link connect} rejects with the
   * signal's reason, and later a pending {@link SMTPClient.send} or {@link SMTPClient.quit} does.
   */
  signal?: AbortSignal;
}

/** A message and its envelope for {@link SMTPClient.send}. */
export interface SendOptions {
  /** The envelope sender (MAIL FROM), as `a@example.com` or `<a@example.com>`. */
  from: string;
  /** The envelope recipients (RCPT TO), at least one. */
  to: readonly string[];
  /** The message, an RFC 5322 document; line ends are sent as CRLF whatever they are. */
  message: MessageInput;
}

export function inetServer(options: ConnectOptions): INETSERVER {
  return {
    szAccount: "imnxport",
    szUserName: options.auth?.user ?? "",
    szPassword: options.auth?.password ?? "",
    szServerName: options.host,
    szConnectoid: "",
    rasconntype: 0,
    dwPort: options.port ?? 0,
    fSSL: options.tls !== undefined,
    fTrySicily: false,
    dwTimeout: options.timeoutSeconds ?? 0,
    dwFlags: options.tls === "starttls" ? ISF_SSLONSAMEPORT : 0,
  };
}

/** Build the SMTPMESSAGE SendMessage takes: one ADDR_FROM entry, then one ADDR_TO per recipient. */
export function smtpMessage(
  envelope: Pick<SendOptions, "from" | "to">,
  source: SMTPMESSAGE["pstmMsg"],
): SMTPMESSAGE {
  const addresses = [
    { addrtype: ADDR_FROM, szEmail: envelope.from },
    ...envelope.to.map((address) => ({ addrtype: ADDR_TO, szEmail: address })),
  ];
  return {
    cbSize: 0,
    pstmMsg: source,
    rAddressList: { cAddress: addresses.length, prgAddress: addresses },
  };
}

export function checkConnectOptions(options: ConnectOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Invalid connect options: expected an object with a host");
  }

  if (typeof options.host !== "string" || options.host === "") {
    throw new TypeError(`Invalid host ${JSON.stringify(options.host)}: expected a host name`);
  }

  const port = options.port;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new TypeError(`Invalid port ${port}: expected an integer from 1 to 65535`);
  }

  const tls = options.tls;
  if (tls !== undefined && tls !== "implicit" && tls !== "starttls") {
    throw new TypeError(`Invalid tls ${JSON.stringify(tls)}: expected "implicit" or "starttls"`);
  }

  const auth = options.auth;
  if (auth !== undefined && (typeof auth?.user !== "string" || typeof auth.password !== "string")) {
    throw new TypeError("Invalid auth: expected { user, password } strings");
  }

  const timeout = options.timeoutSeconds;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1)) {
    throw new TypeError(`Invalid timeoutSeconds ${timeout}: expected a positive integer`);
  }
}

export function checkSendOptions(options: SendOptions): SendOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Invalid send options: expected { from, to, message }");
  }

  if (typeof options.from !== "string") {
    throw new TypeError(`Invalid from ${JSON.stringify(options.from)}: expected an address`);
  }

  if (!Array.isArray(options.to) || options.to.some((address) => typeof address !== "string")) {
    throw new TypeError("Invalid to: expected an array of address strings");
  }

  return options;
}
