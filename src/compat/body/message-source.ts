import type { HRESULT } from "../../imnxport/hresults.js";
import { FAILED } from "../../imnxport/hresults.js";
import type { IStream, STATSTG } from "../../imnxport/objidl.js";
import { STATFLAG_NONAME } from "../../imnxport/objidl.js";
import type { MessageSource } from "../../imnxport/structs.js";

/** Bytes read from an IStream per Read call, and the progress reporting unit. */
export const READ_CHUNK_BYTES = 64 * 1024;

/** The message stream failed; the message must be abandoned without the final dot. */
export class StreamReadError extends Error {
  readonly code = "ERR_MESSAGE_STREAM_READ";

  constructor(
    message: string,
    readonly hr: HRESULT | null,
  ) {
    super(message);
    this.name = "StreamReadError";
  }
}

/** Convert an unexpected failure while streaming a body into the StreamReadError that ends the message. */
export function asReadError(error: unknown): StreamReadError {
  if (error instanceof StreamReadError) {
    return error;
  }

  const detail = error instanceof Error ? error.message : String(error);
  return new StreamReadError(`Streaming the message failed: ${detail}`, null);
}

/** Return whether a value is a COM-shaped IStream rather than a Node stream or async iterable. */
export function isIStream(source: unknown): source is IStream {
  return (
    typeof source === "object" &&
    source !== null &&
    typeof (source as IStream).Read === "function" &&
    typeof (source as IStream).Stat === "function"
  );
}

/** Return whether a value can be read as a message: an IStream, a Node Readable or an async iterable. */
export function isMessageSource(source: unknown): source is MessageSource {
  if (isIStream(source)) {
    return true;
  }

  return (
    typeof source === "object" &&
    source !== null &&
    typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function"
  );
}

/** Return the size the source reports, or 0 when it has none (Node streams and iterables). */
export function statSize(source: MessageSource): number {
  if (!isIStream(source)) {
    return 0;
  }

  const stat: STATSTG = { cbSize: 0 };
  try {
    const hr = source.Stat(stat, STATFLAG_NONAME);
    return FAILED(hr) ? 0 : Math.max(0, Number(stat.cbSize) || 0);
  } catch {
    return 0;
  }
}

/**
 * Read a message source from its current position to its end, in chunks of at most 64 KiB for
 * an IStream and as produced for a Node stream. Throws StreamReadError when reading fails.
 */
export async function* readMessage(source: MessageSource): AsyncGenerator<Uint8Array> {
  if (isIStream(source)) {
    yield* readIStream(source);
    return;
  }

  try {
    for await (const chunk of source as AsyncIterable<unknown>) {
      yield toBytes(chunk);
    }
  } catch (error) {
    throw asReadError(error);
  }
}

/** Convert a chunk of a Node stream or iterable to bytes. Strings are encoded as UTF-8. */
function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) {
    return chunk;
  }

  if (typeof chunk === "string") {
    return Buffer.from(chunk, "utf8");
  }

  throw new StreamReadError(
    `The message stream produced a ${typeof chunk} chunk; expected bytes or a string`,
    null,
  );
}

/** Read buffers of finished IStream reads, for the next message to reuse. */
const freeReadBuffers: Buffer[] = [];

/** Free read buffers kept at most: one per message being read at the same time. */
const MAX_FREE_READ_BUFFERS = 4;

/**
 * Read an IStream into one reused buffer. Each chunk stays valid until the next is requested,
 * which is enough because the body pump encodes (and so copies) a chunk before reading on. The
 * buffer goes back to a free list when the read ends or is closed, so that sending many small
 * messages does not allocate 64 KiB for each.
 */
function* readIStream(stream: IStream): Generator<Uint8Array> {
  const buffer = freeReadBuffers.pop() ?? Buffer.allocUnsafe(READ_CHUNK_BYTES);
  try {
    yield* readIStreamInto(stream, buffer);
  } finally {
    if (freeReadBuffers.length < MAX_FREE_READ_BUFFERS) {
      freeReadBuffers.push(buffer);
    }
  }
}

function* readIStreamInto(stream: IStream, buffer: Buffer): Generator<Uint8Array> {
  for (;;) {
    const read = { value: 0 };
    let hr: HRESULT;
    try {
      hr = stream.Read(buffer, buffer.length, read);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new StreamReadError(`IStream::Read threw: ${detail}`, null);
    }

    if (FAILED(hr)) {
      const code = `0x${(hr >>> 0).toString(16).toUpperCase().padStart(8, "0")}`;
      throw new StreamReadError(`IStream::Read failed with ${code}`, hr);
    }

    const count = Math.min(Math.max(0, read.value | 0), buffer.length);
    if (count === 0) {
      return;
    }

    yield buffer.subarray(0, count);
  }
}
