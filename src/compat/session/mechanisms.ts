import type { INETSERVER } from "../../imnxport/structs.js";
import {
  chooseMechanism,
  createMechanism as createSaslMechanism,
  PASSWORD_MECHANISMS,
  parseAuthCapability,
  type SaslMechanismName,
} from "../sasl/choose.js";
import type { SaslMechanism } from "../sasl/mechanism.js";
import type { NtlmOptions } from "../sasl/ntlm.js";

/** Authentication settings of this package that the IDL has no place for. */
export interface AuthSettings {
  /** Allow AUTH over an unprotected connection to a server that is not on loopback. */
  allowCleartext: boolean;
  /** An OAuth 2.0 bearer token; XOAUTH2 is then used when the server lists it. */
  xoauth2: { username: string; accessToken: string } | null;
  /** NTLM settings beyond the user name and password (domain, workstation). */
  ntlm: NtlmSettings;
}

/** NTLM settings of TransportOptions: the client challenge and time exist for reproducible tests. */
export type NtlmSettings = Omit<NtlmOptions, "username" | "password">;

/** The SASL mechanisms an EHLO reply lists, from the text of its lines (code included). */
export function listedMechanisms(ehloLines: readonly string[]): string[] {
  return parseAuthCapability(ehloLines.slice(1).map((line) => line.slice(4)));
}

function availableMechanisms(settings: AuthSettings): SaslMechanismName[] {
  const available: SaslMechanismName[] = ["NTLM", ...PASSWORD_MECHANISMS];
  return settings.xoauth2 === null ? available : ["XOAUTH2", ...available];
}

/**
 * Choose the mechanism: NTLM (OE's "Secure Password Authentication") when fTrySicily is set,
 * otherwise XOAUTH2 when a token is configured and listed, then the first of CRAM-MD5, PLAIN and
 * LOGIN that the server lists. Null when nothing fits.
 */
export function chooseAuthMechanism(
  listed: readonly string[],
  server: INETSERVER,
  settings: AuthSettings,
): SaslMechanismName | null {
  const trySicily = server.fTrySicily === true || server.fTrySicily === 1;
  return chooseMechanism(listed, { trySicily, available: availableMechanisms(settings) });
}

/** Whether CommandAUTH can run mechanism `name` with these settings. */
export function isSupportedMechanism(
  name: string,
  settings: AuthSettings,
): name is SaslMechanismName {
  return (availableMechanisms(settings) as string[]).includes(name);
}

/** Build the client side of mechanism `name` with the server's credentials; throws SaslError. */
export function createMechanism(
  name: SaslMechanismName,
  server: INETSERVER,
  settings: AuthSettings,
): SaslMechanism {
  const xoauth2 = name === "XOAUTH2" ? settings.xoauth2 : null;
  return createSaslMechanism(name, {
    username: xoauth2?.username ?? server.szUserName,
    password: server.szPassword,
    ...(xoauth2 === null ? {} : { accessToken: xoauth2.accessToken }),
    ntlm: settings.ntlm,
  });
}
