import {
  type GUID,
  IID_IInternetTransport,
  IID_ISMTPTransport,
  IID_ISMTPTransport2,
  IID_IUnknown,
  IsEqualGUID,
} from "../../imnxport/guids.js";
import { E_NOINTERFACE, E_POINTER, type HRESULT, S_OK } from "../../imnxport/hresults.js";
import type { IUnknown } from "../../imnxport/objidl.js";

/** The interfaces QueryInterface returns for an SMTP transport, each the object itself. */
const SMTP_TRANSPORT_IIDS: readonly GUID[] = [
  IID_IUnknown,
  IID_IInternetTransport,
  IID_ISMTPTransport,
  IID_ISMTPTransport2,
];

/** Whether an SMTP transport object implements the interface `riid`. */
export function isSMTPTransportIID(riid: unknown): boolean {
  return typeof riid === "string" && SMTP_TRANSPORT_IIDS.some((iid) => IsEqualGUID(iid, riid));
}

/**
 * QueryInterface for an object whose every interface is the object itself: stores it in
 * `ppvObject.value` and adds a reference, or stores null and returns E_NOINTERFACE.
 */
export function queryObjectInterface(
  object: IUnknown,
  supported: (riid: unknown) => boolean,
  riid: GUID,
  ppvObject: { value: unknown },
): HRESULT {
  if (typeof ppvObject !== "object" || ppvObject === null) {
    return E_POINTER;
  }

  if (!supported(riid)) {
    ppvObject.value = null;
    return E_NOINTERFACE;
  }

  object.AddRef();
  ppvObject.value = object;
  return S_OK;
}

/**
 * A COM reference count that starts at 1, as an object returned by its factory does. The
 * `onFinalRelease` action runs once, when the count reaches 0. After that AddRef and Release
 * return 0 and do nothing, where native COM would use freed memory.
 */
export class ReferenceCount {
  #count = 1;

  constructor(private readonly onFinalRelease: () => void) {}

  /** True once the final Release ran. */
  get released(): boolean {
    return this.#count === 0;
  }

  addRef(): number {
    if (this.#count === 0) {
      return 0;
    }

    this.#count += 1;
    return this.#count;
  }

  release(): number {
    if (this.#count === 0) {
      return 0;
    }

    this.#count -= 1;
    if (this.#count === 0) {
      this.onFinalRelease();
    }

    return this.#count;
  }
}
