import type { INETSERVER } from "../../imnxport/structs.js";
import { CramMd5Mechanism } from "../sasl/cram-md5.js";
import { LoginMechanism } from "../sasl/login.js";
import type { SaslMechanism } from "../sasl/mechanism.js";
import { PlainMechanism } from "../sasl/plain.js";
import { XOAuth2Mechanism } from "../sasl/xoauth2.js";

/** Authentication settings of this package that the IDL has no place for. */
export interface AuthSettings {
  /** Allow AUTH over an unprotected connection to a server that is not on loopback. */
  allowCleartext: boolean;
  /** An OAuth 2.0 bearer token; XOAUTH2 is then used when the server lists it. */
  xoauth2: { username: string; accessToken: string } | null;
}

/** The mechanisms imnxport can run, in the order it prefers them without fTrySicily. */
const PREFERRED = ["CRAM-MD5", "PLAIN", "LOGIN"] as const;

/**
 * The SASL mechanisms an EHLO reply lists, upper case, from `AUTH mech…` lines and the older
 * `AUTH=mech…` form some servers still send for OE's sake. Keywords are matched as whole words.
 */
export function listedMechanisms(ehloLines: readonly string[]): string[] {
  const found = new Set<string>();
  for (const line of ehloLines.slice(1)) {
    const words = line.slice(4).trim().split(/\s+/);
    const keyword = (words[0] ?? "").toUpperCase();
    if (keyword === "AUTH") {
      words.slice(1).forEach((word) => found.add(word.toUpperCase()));
    } else if (keyword.startsWith("AUTH=")) {
      found.add(keyword.slice(5));
      words.slice(1).forEach((word) => found.add(word.toUpperCase()));
    }
  }

  found.delete("");
  return [...found];
}

/**
 * Choose the mechanism: XOAUTH2 when a token is configured and listed; NTLM (OE's "Secure
 * Password Authentication") when fTrySicily is set; otherwise the first of CRAM-MD5, PLAIN and
 * LOGIN that the server lists. Null when nothing fits.
 */
export function chooseAuthMechanism(
  listed: readonly string[],
  server: INETSERVER,
  settings: AuthSettings,
): string | null {
  if (settings.xoauth2 !== null && listed.includes("XOAUTH2")) {
    return "XOAUTH2";
  }

  if (server.fTrySicily === true || server.fTrySicily === 1) {
    return listed.includes("NTLM") ? "NTLM" : null;
  }

  return PREFERRED.find((name) => listed.includes(name)) ?? null;
}

/** Whether `name` is a mechanism createMechanism can build. */
export function isSupportedMechanism(name: string, settings: AuthSettings): boolean {
  return (
    (PREFERRED as readonly string[]).includes(name) ||
    name === "NTLM" ||
    (name === "XOAUTH2" && settings.xoauth2 !== null)
  );
}

/** Build the client side of mechanism `name` with the server's credentials. */
export function createMechanism(
  name: string,
  server: INETSERVER,
  settings: AuthSettings,
): SaslMechanism {
  const credentials = { username: server.szUserName, password: server.szPassword };
  switch (name) {
    case "CRAM-MD5":
      return new CramMd5Mechanism(credentials);
    case "PLAIN":
      return new PlainMechanism(credentials);
    case "LOGIN":
      return new LoginMechanism(credentials);
    case "XOAUTH2":
      if (settings.xoauth2 === null) {
        throw new TypeError("XOAUTH2 needs the xoauth2 transport option");
      }
      return new XOAuth2Mechanism(settings.xoauth2);
    default:
      throw new TypeError(`Unsupported SASL mechanism ${name}`);
  }
}
