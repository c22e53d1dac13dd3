import { IDNO } from "../imnxport/constants.js";
import type { CMDTYPE, IXPSTATUS } from "../imnxport/enums.js";
import { type HRESULT, S_FALSE, S_OK } from "../imnxport/hresults.js";
import type { IInternetTransport, ISMTPCallback } from "../imnxport/interfaces.js";
import type { INETSERVER, IXPRESULT, SMTPRESPONSE } from "../imnxport/structs.js";

/**
 * An ISMTPCallback with every method implemented, for ported callback classes to extend and
 * override only what they use, as C++ code derived from a class that stubbed the interface.
 *
 * Defaults: OnTimeout returns S_FALSE (stop waiting), OnLogonPrompt S_FALSE (cancel), OnPrompt
 * IDNO, and every notification S_OK.
 */
export class SMTPCallbackBase implements ISMTPCallback {
  OnTimeout(
    _pdwTimeout: { value: number },
    _pTransport: IInternetTransport,
  ): HRESULT | Promise<HRESULT> {
    return S_FALSE;
  }

  OnLogonPrompt(
    _pInetServer: INETSERVER,
    _pTransport: IInternetTransport,
  ): HRESULT | Promise<HRESULT> {
    return S_FALSE;
  }

  OnPrompt(
    _hrError: HRESULT,
    _pszText: string,
    _pszCaption: string,
    _uType: number,
    _pTransport: IInternetTransport,
  ): number | Promise<number> {
    return IDNO;
  }

  OnStatus(_ixpstatus: IXPSTATUS, _pTransport: IInternetTransport): HRESULT {
    return S_OK;
  }

  OnError(_ixpstatus: IXPSTATUS, _pResult: IXPRESULT, _pTransport: IInternetTransport): HRESULT {
    return S_OK;
  }

  OnCommand(
    _cmdtype: CMDTYPE,
    _pszLine: string,
    _hrResponse: HRESULT,
    _pTransport: IInternetTransport,
  ): HRESULT {
    return S_OK;
  }

  OnResponse(_pResponse: SMTPRESPONSE): HRESULT {
    return S_OK;
  }
}
