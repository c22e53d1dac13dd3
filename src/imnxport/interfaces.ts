/**
 * Interfaces of the SMTP part of `Imnxport.idl`, with methods in vtable order. In the IDL each
 * derives from IUnknown. The transport interfaces keep that base, so ported code can call
 * QueryInterface, AddRef and Release. The callback interfaces leave IUnknown's three methods
 * out, so a callback can be a plain object.
 *
 * Return codes in the method comments are the ones Microsoft's reference pages list. A page that
 * lists none documents only S_OK on success and an error HRESULT otherwise.
 *
 * @module
 */

import type { CMDTYPE, IXPISSTATE, IXPSTATUS, IXPTYPE } from "./enums.js";
import type { HRESULT } from "./hresults.js";
import type { IUnknown } from "./objidl.js";
import type {
  INETSERVER,
  IXPRESULT,
  MessageSource,
  SMTPMESSAGE,
  SMTPMESSAGE2,
  SMTPRESPONSE,
} from "./structs.js";

/**
 * Callback methods common to every OE transport, implemented by the client. An `[in,out]`
 * scalar is a one-field box (`{ value }`).
 */
export interface ITransportCallback {
  /**
   * Called when the server has not responded within the timeout. `pdwTimeout.value` is the
   * timeout in seconds and the client may change it. Return S_OK to keep waiting, or S_FALSE
   * to drop the connection.
   */
  OnTimeout(
    pdwTimeout: { value: number },
    pTransport: IInternetTransport,
  ): HRESULT | Promise<HRESULT>;
  /**
   * Called when the transport needs logon information. The client fills in `szUserName` and
   * `szPassword` of `pInetServer` and changes no other field. Return S_OK to reconnect with the
   * new values, or S_FALSE to cancel the logon, which disconnects.
   */
  OnLogonPrompt(
    pInetServer: INETSERVER,
    pTransport: IInternetTransport,
  ): HRESULT | Promise<HRESULT>;
  /**
   * Called when the transport needs the user's answer to a question. `hrError` is the reason,
   * usually an error. `pszText` and `pszCaption` are the suggested question and title, and
   * `uType` is a set of MessageBox MB_* flags. Return what MessageBox would: an ID* value such as
   * IDYES or IDNO.
   */
  OnPrompt(
    hrError: HRESULT,
    pszText: string,
    pszCaption: string,
    uType: number,
    pTransport: IInternetTransport,
  ): number | Promise<number>;
  /** Called on every change of the connection status. */
  OnStatus(ixpstatus: IXPSTATUS, pTransport: IInternetTransport): HRESULT;
  /**
   * Called for fatal errors only, such as a failed TCP connection or a lost connection.
   * Protocol errors arrive through ISMTPCallback::OnResponse instead.
   */
  OnError(ixpstatus: IXPSTATUS, pResult: IXPRESULT, pTransport: IInternetTransport): HRESULT;
  /**
   * Called with each protocol line sent (CMD_SEND) or received (CMD_RESP), for logging.
   * `hrResponse` is the reply's HRESULT for CMD_RESP. Never called when Connect got
   * `fCommandLogging` false (iitDISABLE_ONCOMMAND).
   */
  OnCommand(
    cmdtype: CMDTYPE,
    pszLine: string,
    hrResponse: HRESULT,
    pTransport: IInternetTransport,
  ): HRESULT;
}

/** The client's SMTP callback, passed to ISMTPTransport::InitNew. */
export interface ISMTPCallback extends ITransportCallback {
  /** Called for each server reply line and each progress step of a command. */
  OnResponse(pResponse: SMTPRESPONSE): HRESULT;
}

/**
 * Optional extra interface of a client's callback object in the IDL. This package's transport
 * never queries for it, and neither does Wine's.
 */
export interface ITransportCallbackService {
  /** Stores the parent window for dialogs in `phwndParent.value`. `dwReserved` is 0. */
  GetParentWindow(dwReserved: number, phwndParent: { value: unknown }): HRESULT;
  /** Stores the server type (an SRV_* value) and the account object (IImnAccount). */
  GetAccount(pdwServerType: { value: number }, ppAccount: { value: unknown }): HRESULT;
}

/** Transport methods common to every OE protocol. */
export interface IInternetTransport extends IUnknown {
  /**
   * Copies the INETSERVER given to Connect into `pInetServer`. Valid only after Connect.
   * Returns S_OK, or E_INVALIDARG.
   */
  GetServerInfo(pInetServer: INETSERVER): HRESULT;
  /** Returns the protocol of the transport (IXP_SMTP for SMTP). */
  GetIXPType(): IXPTYPE;
  /** Returns S_OK if the transport is in state `isstate`, S_FALSE if not. */
  IsState(isstate: IXPISSTATE): HRESULT;
  /**
   * Fills `pInetServer` from an OE account object (IImnAccount). Returns S_OK, E_INVALIDARG or
   * IXP_E_INVALID_ACCOUNT.
   */
  InetServerFromAccount(pAccount: unknown, pInetServer: INETSERVER): HRESULT;
  /**
   * Connects to the server, asynchronously. `fAuthenticate` requests a logon
   * (iitAUTHENTICATE) and `fCommandLogging` turns on OnCommand (iitENABLE_ONCOMMAND). For SMTP
   * the connect ends with an SMTP_CONNECTED response. Returns S_OK, E_INVALIDARG,
   * IXP_E_ALREADY_CONNECTED, IXP_E_LOAD_SICILY_FAILED, IXP_E_NOT_INIT, IXP_E_SOCKET_INIT_ERROR
   * or IXP_E_SOCKET_CONNECT_ERROR.
   */
  Connect(
    pInetServer: INETSERVER,
    fAuthenticate: boolean | 0 | 1,
    fCommandLogging: boolean | 0 | 1,
  ): HRESULT;
  /**
   * Releases the callback, after which no callback method is called again. It exists to break
   * reference cycles. Returns S_OK, or S_FALSE when no callback was registered.
   */
  HandsOffCallback(): HRESULT;
  /**
   * Ends the session cleanly, letting the server clean up (for SMTP by sending QUIT). Returns
   * S_OK, IXP_E_NOT_INIT or IXP_E_NOT_CONNECTED.
   */
  Disconnect(): HRESULT;
  /** Closes the connection at once, without a clean ending. Returns S_OK or IXP_E_NOT_INIT. */
  DropConnection(): HRESULT;
  /** Stores the current connection status in `pCurrentStatus.value`. */
  GetStatus(pCurrentStatus: { value: IXPSTATUS }): HRESULT;
}

/**
 * The SMTP transport. Call InitNew first, then Connect. Results arrive through the callback's
 * OnResponse.
 */
export interface ISMTPTransport extends IInternetTransport {
  /**
   * Registers the callback and the protocol log file (`pszLogFilePath`, null for none). Must be
   * called before any other method. Returns S_OK, E_INVALIDARG (null callback), E_OUTOFMEMORY
   * or IXP_E_ALREADY_CONNECTED.
   */
  InitNew(pszLogFilePath: string | null, pCallback: ISMTPCallback): HRESULT;
  /**
   * Sends a message: MAIL, RCPT for each recipient, DATA, the message and the final dot. The
   * transport copies `pMessage`, so the caller may discard it on return. OnResponse reports
   * SMTP_SEND_MESSAGE when the message is finished or has failed. Returns S_OK, E_INVALIDARG,
   * E_OUTOFMEMORY, IXP_E_BUSY, IXP_E_INVALID_ADDRESS_LIST, IXP_E_NOT_CONNECTED or
   * IXP_S_SMTP_NO_DSN_SUPPORT.
   */
  SendMessage(pMessage: SMTPMESSAGE): HRESULT;
  /**
   * Sends `MAIL FROM:`. Microsoft's example passes the address with its angle brackets
   * (`<someone@example.com>`). Returns S_OK, E_INVALIDARG, E_OUTOFMEMORY, IXP_E_BUSY,
   * IXP_E_NOT_INIT or IXP_E_SOCKET_WRITE_ERROR.
   */
  CommandMAIL(pszEmailFrom: string): HRESULT;
  /**
   * Sends `RCPT TO:`, with the address written as for CommandMAIL. Returns S_OK or
   * E_INVALIDARG.
   */
  CommandRCPT(pszEmailTo: string): HRESULT;
  /** Sends EHLO. */
  CommandEHLO(): HRESULT;
  /** Sends HELO. */
  CommandHELO(): HRESULT;
  /**
   * Sends AUTH with the SASL mechanism `pszAuthType`. Returns S_OK, E_INVALIDARG,
   * E_OUTOFMEMORY, IXP_E_BUSY, IXP_E_NOT_INIT or IXP_E_SOCKET_WRITE_ERROR.
   */
  CommandAUTH(pszAuthType: string): HRESULT;
  /** Sends QUIT, which ends the session. */
  CommandQUIT(): HRESULT;
  /** Sends RSET. */
  CommandRSET(): HRESULT;
  /** Sends DATA. */
  CommandDATA(): HRESULT;
  /** Sends the end-of-data line, a single dot. */
  CommandDOT(): HRESULT;
  /**
   * Sends the message body after DATA, `cbSize` bytes, and then calls CommandDOT itself. Returns
   * S_OK, E_INVALIDARG, E_OUTOFMEMORY, IXP_E_NOT_CONNECTED or IXP_E_SOCKET_WRITE_ERROR.
   */
  SendDataStream(pStream: MessageSource, cbSize: number): HRESULT;
}

/** The SMTP transport with delivery status notification (DSN) support. */
export interface ISMTPTransport2 extends ISMTPTransport {
  /**
   * Creates the hidden window that OE's transport used for asynchronous Winsock messages.
   * Returns NOERROR, E_FAIL, IXP_E_CONN or E_UNEXPECTED.
   */
  SetWindow(): HRESULT;
  /** Destroys the window created by SetWindow. Returns NOERROR or E_UNEXPECTED. */
  ResetWindow(): HRESULT;
  /**
   * Sends a message with DSN parameters (ENVID and RET on MAIL). DSN needs a session started
   * with EHLO. Returns the same codes as SendMessage.
   */
  SendMessage2(pMessage: SMTPMESSAGE2): HRESULT;
  /**
   * Sends `RCPT TO:` with a DSN request: the ADDR_DSN_* bits of `atDSN` select the
   * notifications (the NOTIFY parameter of RFC 3461). Needs a session started with EHLO.
   * Returns S_OK or E_INVALIDARG.
   */
  CommandRCPT2(pszEmailTo: string, atDSN: number): HRESULT;
}
