import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import {
  E_INVALIDARG,
  E_POINTER,
  E_UNEXPECTED,
  type HRESULT,
  S_FALSE,
  S_OK,
} from "../../imnxport/hresults.js";
import {
  type IStream,
  STATFLAG_NONAME,
  type STATSTG,
  type STREAM_SEEK,
} from "../../imnxport/objidl.js";
import { STG_E_INVALIDFUNCTION, STG_E_READFAULT, seekPosition } from "./seek.js";

/** Bytes requested from the file per `fs.readSync` call. */
export const FILE_READ_CHUNK_BYTES = 64 * 1024;

/** STG_E_FILENOTFOUND: the file does not exist. */
export const STG_E_FILENOTFOUND = 0x80030002;
/** STG_E_ACCESSDENIED: the file may not be opened for reading. */
export const STG_E_ACCESSDENIED = 0x80030005;

export { STG_E_INVALIDFUNCTION, STG_E_READFAULT };
/** STGM_READ, the only access mode {@link SHCreateStreamOnFile} serves. */
export const STGM_READ = 0x0;

/**
 * A read-only COM IStream over a file, the counterpart of `SHCreateStreamOnFile` for ported
 * code. The file is opened by the constructor, so a missing file throws at once, and read with
 * `fs.readSync` in chunks of at most 64 KiB at the stream's position.
 *
 * The descriptor is closed by {@link FileStream.Close}, and also when a Read reaches the end of
 * the file, so a stream that the transport reads to its end leaks nothing. A Read after that
 * end reopens the file. After Close every method returns E_UNEXPECTED.
 */
export class FileStream implements IStream {
  readonly #path: string;
  #fd: number | null;
  #position = 0;
  #closed = false;

  /** @throws the `fs.openSync` error when the file cannot be opened for reading. */
  constructor(path: string) {
    this.#path = path;
    this.#fd = openSync(path, "r");
  }

  /** The path given to the constructor. */
  get path(): string {
    return this.#path;
  }

  Read(pv: Uint8Array, cb: number, pcbRead: { value: number } | null): HRESULT {
    if (this.#closed) {
      return E_UNEXPECTED;
    }

    if (!(pv instanceof Uint8Array) || !Number.isInteger(cb) || cb < 0) {
      return E_INVALIDARG;
    }

    const wanted = Math.min(cb, pv.length);
    let count = 0;
    try {
      const fd = this.#open();
      while (count < wanted) {
        const length = Math.min(wanted - count, FILE_READ_CHUNK_BYTES);
        const read = readSync(fd, pv, count, length, this.#position);
        if (read === 0) {
          this.#release();
          break;
        }

        count += read;
        this.#position += read;
      }
    } catch {
      if (pcbRead !== null) {
        pcbRead.value = count;
      }
      return STG_E_READFAULT;
    }

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
    if (this.#closed) {
      return E_UNEXPECTED;
    }

    const seek = seekPosition(dlibMove, dwOrigin, this.#position, () => this.#size());
    if (seek.position === null) {
      return seek.hr;
    }

    const target = seek.position;
    // A position past the end is allowed, as in COM; the next Read returns 0 bytes there.
    this.#position = target;
    if (plibNewPosition !== null) {
      plibNewPosition.value = target;
    }

    return S_OK;
  }

  Stat(pstatstg: STATSTG, grfStatFlag: number): HRESULT {
    if (this.#closed) {
      return E_UNEXPECTED;
    }

    if (typeof pstatstg !== "object" || pstatstg === null) {
      return E_POINTER;
    }

    const size = this.#size();
    if (size === null) {
      return STG_E_READFAULT;
    }

    pstatstg.cbSize = size;
    pstatstg.type = 2;
    pstatstg.pwcsName = grfStatFlag === STATFLAG_NONAME ? null : basename(this.#path);
    return S_OK;
  }

  /** Close the file. Later calls return E_UNEXPECTED. Closing twice does nothing. */
  Close(): void {
    this.#closed = true;
    this.#release();
  }

  #open(): number {
    if (this.#fd === null) {
      this.#fd = openSync(this.#path, "r");
    }
    return this.#fd;
  }

  #release(): void {
    if (this.#fd !== null) {
      const fd = this.#fd;
      this.#fd = null;
      closeSync(fd);
    }
  }

  /** The file's size, without reopening a descriptor that the end of the file closed. */
  #size(): number | null {
    try {
      return this.#fd === null ? statSync(this.#path).size : fstatSync(this.#fd).size;
    } catch {
      return null;
    }
  }
}

/** Open `path` as a read-only IStream; throws the `fs.openSync` error when that fails. */
export function createStreamOnFile(path: string): FileStream {
  return new FileStream(path);
}

/**
 * Opens a file as an IStream, shaped like shlwapi's `SHCreateStreamOnFile(pszFile, grfMode,
 * ppstm)`. Only STGM_READ is served. Returns S_OK, E_POINTER, E_INVALIDARG (another mode or a
 * non-string path), STG_E_FILENOTFOUND, STG_E_ACCESSDENIED or STG_E_READFAULT (any other open
 * failure). On failure `ppstm.value` is null.
 */
export function SHCreateStreamOnFile(
  pszFile: string,
  grfMode: number,
  ppstm: { value: FileStream | null },
): HRESULT {
  if (typeof ppstm !== "object" || ppstm === null) {
    return E_POINTER;
  }

  ppstm.value = null;
  if (typeof pszFile !== "string" || pszFile === "" || grfMode !== STGM_READ) {
    return E_INVALIDARG;
  }

  try {
    ppstm.value = new FileStream(pszFile);
    return S_OK;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      return STG_E_FILENOTFOUND;
    }
    if (code === "EACCES" || code === "EPERM") {
      return STG_E_ACCESSDENIED;
    }
    return STG_E_READFAULT;
  }
}
