import { CLSID_ISMTPTransport, type GUID, IsEqualGUID } from "../../imnxport/guids.js";
import {
  CLASS_E_CLASSNOTAVAILABLE,
  CLASS_E_NOAGGREGATION,
  E_NOINTERFACE,
  E_POINTER,
  type HRESULT,
  S_OK,
} from "../../imnxport/hresults.js";
import { SMTPTransport } from "../transport.js";
import { isSMTPTransportIID } from "./unknown.js";

/** CLSCTX_INPROC_SERVER, the context ported code passes. Every context is served the same way. */
export const CLSCTX_INPROC_SERVER = 0x1;
/** CLSCTX_ALL from objbase.h. */
export const CLSCTX_ALL = 0x17;

/**
 * Creates a COM object the way `CoCreateInstance` did in `inetcomm.dll`'s client. Only
 * CLSID_ISMTPTransport is served. For IID_IUnknown, IID_IInternetTransport, IID_ISMTPTransport
 * and IID_ISMTPTransport2 it returns a new SMTPTransport, whose reference count is 1.
 *
 * Returns S_OK, E_POINTER (no `ppv` box), CLASS_E_NOAGGREGATION (`pUnkOuter` not null),
 * CLASS_E_CLASSNOTAVAILABLE (another CLSID) or E_NOINTERFACE (another IID). On failure
 * `ppv.value` is null. `dwClsContext` is not checked, because the only server is in process.
 */
export function CoCreateInstance(
  rclsid: GUID,
  pUnkOuter: unknown,
  dwClsContext: number,
  riid: GUID,
  ppv: { value: unknown },
): HRESULT {
  void dwClsContext;
  if (typeof ppv !== "object" || ppv === null) {
    return E_POINTER;
  }

  ppv.value = null;
  if (pUnkOuter !== null && pUnkOuter !== undefined) {
    return CLASS_E_NOAGGREGATION;
  }

  if (typeof rclsid !== "string" || !IsEqualGUID(rclsid, CLSID_ISMTPTransport)) {
    return CLASS_E_CLASSNOTAVAILABLE;
  }

  if (!isSMTPTransportIID(riid)) {
    return E_NOINTERFACE;
  }

  ppv.value = new SMTPTransport();
  return S_OK;
}
