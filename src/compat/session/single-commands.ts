import { IXP_DISCONNECTING, SMTP_DOT, SMTP_QUIT, type SMTPCOMMAND } from "../../imnxport/enums.js";
import {
  type HRESULT,
  IXP_E_BUSY,
  IXP_E_INVALID_STATE,
  IXP_E_NOT_CONNECTED,
  IXP_E_NOT_INIT,
  S_OK,
} from "../../imnxport/hresults.js";
import { dot, quit } from "../wire/commands.js";
import { MIN_DOT_TIMEOUT_SECONDS } from "./deadline.js";
import type { Reply, Session } from "./session.js";

/**
 * Check the state, as every command does after its argument check: IXP_E_NOT_INIT,
 * IXP_E_NOT_CONNECTED (not connected, Connect still under way, or closing) or IXP_E_BUSY, in
 * that order, or S_OK when the transport is ready.
 */
export function commandState(session: Session, initialized: boolean): HRESULT {
  if (!initialized) {
    return IXP_E_NOT_INIT;
  }

  if (!session.connected || session.closing || session.quitting || !session.established) {
    return IXP_E_NOT_CONNECTED;
  }

  if (session.busy || session.dataMode) {
    return IXP_E_BUSY;
  }

  return S_OK;
}

/**
 * Check the state for the calls that belong after DATA's 354, SendDataStream and CommandDOT:
 * IXP_E_INVALID_STATE outside data mode, IXP_E_BUSY while the body is still being sent.
 */
export function dataState(session: Session, initialized: boolean): HRESULT {
  if (!session.dataMode) {
    const state = commandState(session, initialized);
    return state === S_OK ? IXP_E_INVALID_STATE : state;
  }

  return session.busy ? IXP_E_BUSY : S_OK;
}

/** Write one command and report its reply. `beforeResponse` receives the reply before its callbacks. */
export function sendSingle(
  session: Session,
  command: SMTPCOMMAND,
  line: string,
  beforeResponse?: (reply: Reply) => void,
): void {
  session.writeCommand(line);
  session.expectReply({
    command,
    beforeResponse,
    onReply: (reply) => closeAfter421(session, reply),
  });
}

/**
 * Write the body's unwritten `tail` and the final dot in one write. The wait for the dot's reply
 * lasts at least 10 minutes (RFC 5321 §4.5.3.2.6).
 */
export function sendDot(session: Session, tail: Uint8Array = new Uint8Array(0)): void {
  session.dataMode = false;
  session.writeAfter(tail, dot());
  session.expectReply({
    command: SMTP_DOT,
    minTimeoutSeconds: MIN_DOT_TIMEOUT_SECONDS,
    onReply: (reply) => closeAfter421(session, reply),
  });
}

/** Report IXP_DISCONNECTING, write QUIT, and close once the 221 has been reported. */
export function sendQuit(session: Session): void {
  const socket = session.socket;
  session.quitting = true;
  session.setStatus(IXP_DISCONNECTING);
  if (session.socket !== socket) {
    return;
  }

  session.writeCommand(quit());
  session.expectReply({ command: SMTP_QUIT, onReply: () => session.drop() });
}

/** Close the connection after a 421 reply to a single command (RFC 5321 §3.8). */
export function closeAfter421(session: Session, reply: Reply): void {
  if (reply.code === 421) {
    session.drop();
  }
}
