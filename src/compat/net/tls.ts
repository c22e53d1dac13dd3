import { isIP, type Socket } from "node:net";
import {
  type ConnectionOptions,
  checkServerIdentity,
  type TLSSocket,
  connect as tlsConnect,
} from "node:tls";
import {
  type HRESULT,
  IXP_E_INVALID_CERT_CN,
  IXP_E_INVALID_CERT_DATE,
  IXP_E_SECURE_CONNECT_FAILED,
} from "../../imnxport/hresults.js";

/**
 * TLS settings of this package that the IDL has no place for. Verification is always on: a
 * certificate problem goes to ITransportCallback::OnPrompt, as OE asked the user.
 */
export interface TlsOptions {
  /** Trusted certificates in PEM, replacing Node's bundled roots (a private CA, say). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Lowest protocol version; TLS 1.2 unless raised. */
  minVersion?: "TLSv1.2" | "TLSv1.3";
}

/** A certificate that failed verification: the HRESULT OnPrompt receives and a sentence for the user. */
export interface CertificateProblem {
  hr: HRESULT;
  text: string;
}

/** Node's verification errors that concern the certificate's dates. */
const DATE_ERRORS = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);

/**
 * Start TLS on a connected socket (STARTTLS) or open a new TLS connection (implicit TLS is a
 * plain socket too, wrapped here). The chain is verified by us after the handshake rather than
 * by Node, so that a problem can be offered to OnPrompt instead of failing outright.
 */
export function startTls(socket: Socket, host: string, options: TlsOptions = {}): TLSSocket {
  const settings: ConnectionOptions = {
    socket,
    // Node checks the certificate against `host` (an address literal is matched to IP SANs).
    host,
    rejectUnauthorized: false,
    minVersion: options.minVersion ?? "TLSv1.2",
    // RFC 6066 §3: SNI carries DNS names only, never address literals.
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  };
  return tlsConnect(settings);
}

/** What is wrong with the server's certificate for `host`, or null when it is trusted and matches. */
export function certificateProblem(socket: TLSSocket, host: string): CertificateProblem | null {
  const error = socket.authorizationError;
  const code = typeof error === "string" ? error : (error as { code?: string } | undefined)?.code;
  if (!socket.authorized && code !== undefined) {
    if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
      return { hr: IXP_E_INVALID_CERT_CN, text: `The certificate does not name ${host}.` };
    }

    if (DATE_ERRORS.has(code)) {
      return {
        hr: IXP_E_INVALID_CERT_DATE,
        text: `The certificate of ${host} has expired or is not yet valid (${code}).`,
      };
    }

    return {
      hr: IXP_E_SECURE_CONNECT_FAILED,
      text: `The certificate of ${host} is not trusted (${code}).`,
    };
  }

  const certificate = socket.getPeerCertificate();
  const mismatch = checkServerIdentity(host, certificate);
  if (mismatch !== undefined) {
    return {
      hr: IXP_E_INVALID_CERT_CN,
      text: `The certificate does not name ${host}: ${mismatch.message}`,
    };
  }

  return null;
}
