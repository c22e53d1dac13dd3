import { isIP } from "node:net";
import { IXP_AUTHORIZING, IXP_AUTHRETRY } from "../../imnxport/enums.js";
import {
  IXP_E_SICILY_LOGON_FAILED,
  IXP_E_SMTP_530_STARTTLS_REQUIRED,
  S_OK,
} from "../../imnxport/hresults.js";
import type { INETSERVER } from "../../imnxport/structs.js";
import { makeResult } from "../results.js";
import type { SaslMechanism } from "../sasl/mechanism.js";
import { AuthExchange, type AuthOutcome } from "./auth-exchange.js";
import type { ConnectFlow } from "./connect-flow.js";
import {
  type AuthSettings,
  chooseAuthMechanism,
  createMechanism,
  listedMechanisms,
} from "./mechanisms.js";
import type { Session } from "./session.js";

/**
 * Whether credentials may cross this connection: it is protected by TLS, the server is on a
 * loopback address, or the caller opted in for this transport. Anything else would show the
 * password to every network hop, which OE allowed and imnxport does not.
 */
export function mayAuthenticate(session: Session, settings: AuthSettings): boolean {
  if (session.secure || settings.allowCleartext) {
    return true;
  }

  const remote = session.socket?.remoteAddress ?? "";
  return isLoopbackAddress(remote);
}

function isLoopbackAddress(address: string): boolean {
  const unwrapped = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIP(unwrapped) === 4) {
    return unwrapped.startsWith("127.");
  }

  return unwrapped === "::1";
}

/**
 * Connect's authentication step (fAuthenticate): after the last EHLO reply, AUTH with the
 * mechanism chosen from the server's list, then SMTP_CONNECTED. Rejected credentials go to
 * OnLogonPrompt: S_OK reports IXP_AUTHRETRY and connects again with the edited user name and
 * password, S_FALSE ends the session with OnError.
 */
export class ConnectAuthenticator {
  constructor(
    private readonly session: Session,
    private readonly server: INETSERVER,
    private readonly settings: AuthSettings,
    private readonly reconnect: () => void,
  ) {}

  run(flow: ConnectFlow): void {
    const mechanisms = listedMechanisms(flow.ehloLines);
    const name = chooseAuthMechanism(mechanisms, this.server, this.settings);
    if (mechanisms.length === 0 || name === null) {
      // The server offers no AUTH we can use: go on unauthenticated, and let the server decide
      // at MAIL or RCPT, as it did for OE users without authentication.
      flow.finish();
      return;
    }

    const session = this.session;
    const socket = session.socket;
    session.setStatus(IXP_AUTHORIZING);
    if (session.socket !== socket) {
      return;
    }

    if (!mayAuthenticate(session, this.settings)) {
      session.failWithQuit(makeResult({ hrResult: IXP_E_SMTP_530_STARTTLS_REQUIRED }));
      return;
    }

    const finish = (outcome: AuthOutcome): void => {
      this.#onOutcome(flow, name, outcome).catch(() => session.drop());
    };
    let mechanism: SaslMechanism;
    try {
      mechanism = createMechanism(name, this.server, this.settings);
    } catch (error) {
      finish({ kind: "unusable", problem: error instanceof Error ? error.message : String(error) });
      return;
    }

    if (!new AuthExchange(session, mechanism, () => {}, finish).start()) {
      finish({ kind: "unusable", problem: `The credentials cannot be sent with ${name}.` });
    }
  }

  async #onOutcome(flow: ConnectFlow, name: string, outcome: AuthOutcome): Promise<void> {
    const session = this.session;
    if (outcome.kind === "accepted") {
      session.authenticated = true;
      flow.finish();
      return;
    }

    const socket = session.socket;
    const edited: INETSERVER = { ...this.server };
    const answer = await session.callbacks.logonPrompt(edited);
    if (session.socket !== socket) {
      return;
    }

    if (answer === S_OK) {
      this.server.szUserName = edited.szUserName;
      this.server.szPassword = edited.szPassword;
      session.setStatus(IXP_AUTHRETRY);
      session.closeForRetry();
      this.reconnect();
      return;
    }

    const reply = "reply" in outcome ? outcome.reply : null;
    const problem = "problem" in outcome ? outcome.problem : null;
    const hrResult =
      name === "NTLM" ? IXP_E_SICILY_LOGON_FAILED : (reply?.hr ?? IXP_E_SICILY_LOGON_FAILED);
    session.failWithQuit(makeResult({ hrResult, reply, pszProblem: problem }));
  }
}
