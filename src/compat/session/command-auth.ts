import { E_INVALIDARG, type HRESULT, S_OK } from "../../imnxport/hresults.js";
import type { INETSERVER } from "../../imnxport/structs.js";
import type { SaslMechanismName } from "../sasl/choose.js";
import type { SaslMechanism } from "../sasl/mechanism.js";
import { AuthExchange } from "./auth-exchange.js";
import { type AuthSettings, createMechanism } from "./mechanisms.js";
import type { Session } from "./session.js";
import { closeAfter421 } from "./single-commands.js";

/**
 * CommandAUTH: one AUTH exchange on demand with the credentials given to Connect. Each reply
 * line is reported as SMTP_AUTH and the last one ends the command; unlike the exchange inside
 * Connect, a rejection does not call OnLogonPrompt. Returns E_INVALIDARG when the credentials
 * cannot be encoded by the mechanism (nothing is sent).
 */
export function runCommandAuth(
  session: Session,
  name: SaslMechanismName,
  server: INETSERVER | null,
  settings: AuthSettings,
): HRESULT {
  const credentials = server ?? emptyCredentials();
  let mechanism: SaslMechanism;
  try {
    mechanism = createMechanism(name, credentials, settings);
  } catch {
    return E_INVALIDARG;
  }

  session.flowActive = true;
  const exchange = new AuthExchange(
    session,
    mechanism,
    (reply) => {
      session.flowActive = false;
      session.authenticated = reply.kind === "success";
    },
    (outcome) => {
      session.flowActive = false;
      if ("reply" in outcome) {
        closeAfter421(session, outcome.reply);
      }
    },
  );
  if (!exchange.start()) {
    session.flowActive = false;
    return E_INVALIDARG;
  }

  return S_OK;
}

function emptyCredentials(): INETSERVER {
  return {
    szAccount: "",
    szUserName: "",
    szPassword: "",
    szServerName: "",
    szConnectoid: "",
    rasconntype: 0,
    dwPort: 0,
    fSSL: false,
    fTrySicily: false,
    dwTimeout: 0,
    dwFlags: 0,
  };
}
