import { E_INVALIDARG, type HRESULT, S_FALSE, S_OK } from "../../imnxport/hresults.js";
import {
  type IStream,
  STATFLAG_NONAME,
  type STATSTG,
  type STREAM_SEEK,
} from "../../imnxport/objidl.js";

import { seekPosition } from "./seek.js";

/**
 * A COM IStream over bytes in memory, the counterpart of `CreateStreamOnHGlobal` for ported
 * code. Strings are stored as UTF-8.
 */
export class BufferStream implements IStream {
  readonly #bytes: Uint8Array;
  #position = 0;

  constructor(content: Uint8Array | string) {
    this.#bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  }

  Read(pv: Uint8Array, cb: number, pcbRead: { value: number } | null): HRESULT {
    if (!(pv instanceof Uint8Array) || !Number.isInteger(cb) || cb < 0) {
      return E_INVALIDARG;
    }

    const count = Math.max(0, Math.min(cb, pv.length, this.#bytes.length - this.#position));
    pv.set(this.#bytes.subarray(this.#position, this.#position + count));
    this.#position += count;
    if (pcbRead !== null) {
      pcbRead.value = count;
    }

    return count < cb ? S_FALSE : S_OK;
  }

  Seek(
    dlibMove: number,
    dwOrigin: STREAM_SEEK,
    plibNewPosition: { value: number } | null,
  ): HRESULT {
    const seek = seekPosition(dlibMove, dwOrigin, this.#position, () => this.#bytes.length);
    if (seek.position === null) {
      return seek.hr;
    }

    this.#position = seek.position;
    if (plibNewPosition !== null) {
      plibNewPosition.value = this.#position;
    }

    return S_OK;
  }

  Stat(pstatstg: STATSTG, grfStatFlag: number): HRESULT {
    pstatstg.cbSize = this.#bytes.length;
    pstatstg.type = 2;
    pstatstg.pwcsName = grfStatFlag === STATFLAG_NONAME ? null : "";
    return S_OK;
  }
}
