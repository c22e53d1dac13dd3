/**
 * The parts of COM's `objidl.idl` that the SMTP transport's API takes: IUnknown and the subset
 * of IStream it reads a message through.
 *
 * @module
 */

import type { GUID } from "./guids.js";
import type { HRESULT } from "./hresults.js";

/** Origin of an {@link IStream.Seek} move. */
export const STREAM_SEEK = {
  /** From the start of the stream. */
  STREAM_SEEK_SET: 0,
  /** From the current position. */
  STREAM_SEEK_CUR: 1,
  /** From the end of the stream. */
  STREAM_SEEK_END: 2,
} as const;
/** One of the {@link STREAM_SEEK} values. */
export type STREAM_SEEK = (typeof STREAM_SEEK)[keyof typeof STREAM_SEEK];

/** {@inheritDoc STREAM_SEEK.STREAM_SEEK_SET} */
export const STREAM_SEEK_SET = STREAM_SEEK.STREAM_SEEK_SET;
/** {@inheritDoc STREAM_SEEK.STREAM_SEEK_CUR} */
export const STREAM_SEEK_CUR = STREAM_SEEK.STREAM_SEEK_CUR;
/** {@inheritDoc STREAM_SEEK.STREAM_SEEK_END} */
export const STREAM_SEEK_END = STREAM_SEEK.STREAM_SEEK_END;

/** {@link IStream.Stat} flag: fill every field, the name included. */
export const STATFLAG_DEFAULT = 0;
/** {@link IStream.Stat} flag: leave `pwcsName` out. */
export const STATFLAG_NONAME = 1;

/** Stream metadata filled in by {@link IStream.Stat}. Only the fields the transport reads. */
export interface STATSTG {
  /** Stream name, or null when there is none or STATFLAG_NONAME was given. */
  pwcsName?: string | null;
  /** STGTY_* storage type (2 is STGTY_STREAM). */
  type?: number;
  /** Size of the stream in bytes. */
  cbSize: number;
}

/**
 * The subset of COM's IStream that the transport calls to read a message (SMTPMESSAGE.pstmMsg,
 * ISMTPTransport::SendDataStream). Each method is synchronous and returns an HRESULT, as in COM.
 */
export interface IStream {
  /**
   * Reads up to `cb` bytes from the current position into `pv[0..n)`, sets `pcbRead.value` to n
   * when `pcbRead` is not null, and advances the position by n. A read of n = 0 that returns
   * S_OK or S_FALSE means the end of the stream.
   */
  Read(pv: Uint8Array, cb: number, pcbRead: { value: number } | null): HRESULT;
  /**
   * Moves the position by `dlibMove` bytes from `dwOrigin`, and stores the new position in
   * `plibNewPosition.value` when that is not null. COM's 64-bit offsets are JavaScript numbers
   * here, exact up to 2^53.
   */
  Seek(dlibMove: number, dwOrigin: STREAM_SEEK, plibNewPosition: { value: number } | null): HRESULT;
  /** Fills `pstatstg`. `grfStatFlag` is {@link STATFLAG_DEFAULT} or {@link STATFLAG_NONAME}. */
  Stat(pstatstg: STATSTG, grfStatFlag: number): HRESULT;
}

/** COM's base interface: interface lookup and reference counting. */
export interface IUnknown {
  /**
   * Stores in `ppvObject.value` the object's implementation of the interface `riid` and returns
   * S_OK, or stores null and returns E_NOINTERFACE.
   */
  QueryInterface(riid: GUID, ppvObject: { value: unknown }): HRESULT;
  /** Adds a reference and returns the new count. */
  AddRef(): number;
  /** Releases a reference and returns the new count. The object is destroyed at 0. */
  Release(): number;
}
