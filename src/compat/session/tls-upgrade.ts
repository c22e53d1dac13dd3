import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { IDYES, MB_ICONEXCLAMATION, MB_YESNO } from "../../imnxport/constants.js";
import { IXP_CONNECTED, IXP_SECURING } from "../../imnxport/enums.js";
import { IXP_E_SECURE_CONNECT_FAILED, IXP_E_TIMEOUT } from "../../imnxport/hresults.js";
import { certificateProblem, startTls, type TlsOptions } from "../net/tls.js";
import { makeResult } from "../results.js";
import type { Session } from "./session.js";

/** Caption of the OnPrompt that asks whether to accept a certificate. */
const PROMPT_CAPTION = "Security Warning";

/**
 * Secure the session's socket: report IXP_SECURING, run the TLS handshake under the dwTimeout
 * deadline, offer a certificate problem to OnPrompt (only IDYES goes on, as OE asked the user),
 * then adopt the TLS socket and report IXP_CONNECTED. Resolves true when the session may go on
 * over TLS; on any failure the session has already reported OnError and IXP_DISCONNECTED, and
 * nothing is ever sent in plaintext instead.
 */
export async function upgradeToTls(
  session: Session,
  host: string,
  options: TlsOptions,
): Promise<boolean> {
  const plain = session.handOverForTls();
  if (plain === null) {
    return false;
  }

  session.setStatus(IXP_SECURING);
  if (session.socket !== plain) {
    return false;
  }

  const secured = await handshake(session, plain, host, options);
  if (secured === null || session.socket !== plain) {
    secured?.destroy();
    return false;
  }

  const problem = certificateProblem(secured, host);
  if (problem !== null) {
    const answer = await session.callbacks.prompt(
      problem.hr,
      problem.text,
      PROMPT_CAPTION,
      MB_YESNO | MB_ICONEXCLAMATION,
    );
    if (session.socket !== plain) {
      secured.destroy();
      return false;
    }

    if (answer !== IDYES) {
      secured.destroy();
      session.fail(makeResult({ hrResult: problem.hr, pszProblem: problem.text }));
      return false;
    }
  }

  session.adopt(secured, true);
  session.setStatus(IXP_CONNECTED);
  return session.socket === secured;
}

/** Run the handshake; null when it failed or timed out (the failure is already reported). */
function handshake(
  session: Session,
  plain: Socket,
  host: string,
  options: TlsOptions,
): Promise<TLSSocket | null> {
  return new Promise((resolve) => {
    const secured = startTls(plain, host, options);
    const finish = (result: TLSSocket | null, failure: string | null, timedOut = false): void => {
      secured.off("secureConnect", onSecure);
      secured.off("error", onError);
      secured.off("close", onClose);
      session.onDeadline = null;
      session.cancelDeadline();
      if (failure !== null) {
        secured.on("error", () => {});
        secured.destroy();
        const hrResult = timedOut ? IXP_E_TIMEOUT : IXP_E_SECURE_CONNECT_FAILED;
        session.fail(makeResult({ hrResult, pszProblem: failure }));
      }
      resolve(result);
    };
    const onSecure = (): void => finish(secured, null);
    const onError = (error: Error): void => finish(null, `TLS handshake failed: ${error.message}`);
    const onClose = (): void =>
      finish(null, "The server closed the connection during the TLS handshake.");

    secured.once("secureConnect", onSecure);
    secured.once("error", onError);
    secured.once("close", onClose);
    session.onDeadline = () => finish(null, "The TLS handshake timed out.", true);
    session.armDeadline();
  });
}
