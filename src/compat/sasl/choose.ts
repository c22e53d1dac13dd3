import { CramMd5Mechanism } from "./cram-md5.js";
import { SaslError } from "./errors.js";
import { LoginMechanism } from "./login.js";
import type { SaslMechanism } from "./mechanism.js";
import { NtlmMechanism, type NtlmOptions } from "./ntlm.js";
import { PlainMechanism } from "./plain.js";
import { XOAuth2Mechanism } from "./xoauth2.js";

/** Names of the mechanisms this package implements. */
export type SaslMechanismName = "NTLM" | "XOAUTH2" | "CRAM-MD5" | "PLAIN" | "LOGIN";

/**
 * Mechanisms that authenticate with a password, in the order chosen when the caller does not
 * ask for NTLM. CRAM-MD5 comes first because it does not send the password itself.
 */
export const PASSWORD_MECHANISMS: readonly SaslMechanismName[] = ["CRAM-MD5", "PLAIN", "LOGIN"];

/** RFC 4422 §3.1 sasl-mech: 1 to 20 upper-case letters, digits, hyphens or underscores. */
const MECHANISM_NAME = /^[A-Z0-9_-]{1,20}$/;

/**
 * Returns the SASL mechanisms that EHLO lines advertise, upper-cased, without duplicates, in the
 * order first seen. Each line is one EHLO extension without its reply code, such as
 * `AUTH LOGIN PLAIN` (RFC 4954 §3) or the pre-standard `AUTH=LOGIN PLAIN` that some servers
 * also send. Leave out the first line of the reply, which is the greeting. Keywords match
 * case-insensitively and as whole words, so `AUTHX` or `X-AUTH` are not AUTH. Tokens that are
 * not valid mechanism names are skipped.
 */
export function parseAuthCapability(lines: readonly string[]): string[] {
  const mechanisms: string[] = [];

  for (const line of lines) {
    const [keyword = "", ...params] = line.trim().split(/[ \t]+/);
    const upperKeyword = keyword.toUpperCase();
    let names: string[];
    if (upperKeyword === "AUTH") {
      names = params;
    } else if (upperKeyword.startsWith("AUTH=")) {
      names = [keyword.slice("AUTH=".length), ...params];
    } else {
      continue;
    }

    for (const name of names) {
      const upper = name.toUpperCase();
      if (MECHANISM_NAME.test(upper) && !mechanisms.includes(upper)) {
        mechanisms.push(upper);
      }
    }
  }

  return mechanisms;
}

export interface ChooseMechanismOptions {
  /**
   * Use NTLM only (Outlook Express's fTrySicily, "Log on using Secure Password Authentication").
   * Returns null when the server does not list NTLM, rather than falling back to a mechanism
   * that sends the password.
   */
  trySicily: boolean;
  /**
   * Mechanisms the client can use, such as XOAUTH2 only when it has an access token. The
   * default is every mechanism that a username and password allow: NTLM, CRAM-MD5, PLAIN and
   * LOGIN. The order here does not matter.
   */
  available?: readonly SaslMechanismName[];
}

/**
 * Picks the mechanism for AUTH. With `trySicily`, NTLM. Otherwise XOAUTH2 when it is available,
 * then the first of CRAM-MD5, PLAIN and LOGIN, each only when the server lists it. Returns null
 * when no mechanism fits. `advertised` contains the names from parseAuthCapability, compared
 * case-insensitively.
 */
export function chooseMechanism(
  advertised: readonly string[],
  options: ChooseMechanismOptions,
): SaslMechanismName | null {
  const offered = new Set(advertised.map((name) => name.toUpperCase()));
  const available = options.available ?? ["NTLM", ...PASSWORD_MECHANISMS];
  const preference: readonly SaslMechanismName[] = options.trySicily
    ? ["NTLM"]
    : ["XOAUTH2", ...PASSWORD_MECHANISMS];

  for (const name of preference) {
    if (offered.has(name) && available.includes(name)) {
      return name;
    }
  }

  return null;
}

/** Credentials for createMechanism. */
export interface SaslCredentials {
  username: string;
  password: string;
  /** The OAuth 2.0 access token that XOAUTH2 sends. */
  accessToken?: string;
  /** NTLM settings beyond the username and password. */
  ntlm?: Omit<NtlmOptions, "username" | "password">;
}

/**
 * Creates a fresh mechanism for one AUTH exchange. It throws ERR_SASL_INVALID_CREDENTIALS when
 * the credentials cannot be encoded, or XOAUTH2 is asked for without an access token.
 */
export function createMechanism(
  name: SaslMechanismName,
  credentials: SaslCredentials,
): SaslMechanism {
  const { username, password } = credentials;

  switch (name) {
    case "NTLM":
      return new NtlmMechanism({ ...credentials.ntlm, username, password });
    case "XOAUTH2":
      if (credentials.accessToken === undefined) {
        throw new SaslError(
          "ERR_SASL_INVALID_CREDENTIALS",
          "XOAUTH2 needs an access token. Pass accessToken, or choose a password mechanism.",
          name,
        );
      }
      return new XOAuth2Mechanism({ username, accessToken: credentials.accessToken });
    case "CRAM-MD5":
      return new CramMd5Mechanism({ username, password });
    case "PLAIN":
      return new PlainMechanism({ username, password });
    case "LOGIN":
      return new LoginMechanism({ username, password });
  }
}
