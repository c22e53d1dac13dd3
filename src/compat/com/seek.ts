import { type HRESULT, S_OK } from "../../imnxport/hresults.js";
import {
  type STREAM_SEEK,
  STREAM_SEEK_CUR,
  STREAM_SEEK_END,
  STREAM_SEEK_SET,
} from "../../imnxport/objidl.js";

/** STG_E_INVALIDFUNCTION: an invalid Seek origin, or a Seek before the start of the stream. */
export const STG_E_INVALIDFUNCTION = 0x80030001;
/** STG_E_READFAULT: reading the file failed. */
export const STG_E_READFAULT = 0x8003001e;

/**
 * IStream::Seek's arithmetic, shared by the package's streams: the new position, or the
 * HRESULT to return. A position past the end is allowed, as in COM, and the next Read there
 * returns 0 bytes. `size` returns null when the stream's size cannot be read.
 */
export function seekPosition(
  dlibMove: number,
  dwOrigin: STREAM_SEEK,
  position: number,
  size: () => number | null,
): { hr: typeof S_OK; position: number } | { hr: HRESULT; position: null } {
  if (!Number.isSafeInteger(dlibMove)) {
    return { hr: STG_E_INVALIDFUNCTION, position: null };
  }

  let base: number | null;
  switch (dwOrigin) {
    case STREAM_SEEK_SET:
      base = 0;
      break;
    case STREAM_SEEK_CUR:
      base = position;
      break;
    case STREAM_SEEK_END:
      base = size();
      if (base === null) {
        return { hr: STG_E_READFAULT, position: null };
      }
      break;
    default:
      return { hr: STG_E_INVALIDFUNCTION, position: null };
  }

  const target = base + dlibMove;
  if (target < 0) {
    return { hr: STG_E_INVALIDFUNCTION, position: null };
  }

  return { hr: S_OK, position: target };
}
