import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { BufferStream } from "../compat/com/buffer-stream.js";
import { createStreamOnFile, type FileStream } from "../compat/com/file-stream.js";
import type { MessageSource } from "../imnxport/structs.js";

/**
 * A message for {@link SMTPClient.send}: its bytes (a Buffer, or a string encoded as UTF-8), a
 * file (a `file:` URL, a string that starts with `file:`, or `{ path }`), or a Node Readable.
 */
export type MessageInput = Buffer | string | URL | { path: string } | Readable;

/** A message opened for the transport, and the cleanup to run once the transport is done. */
export interface OpenedMessage {
  source: MessageSource;
  close(): void;
}

/**
 * Open a message input as a transport source. A path opens a {@link FileStream}, so a missing
 * file throws the `fs.openSync` error here, before anything is sent.
 */
export function openMessage(input: MessageInput): OpenedMessage {
  const path = filePathOf(input);
  if (path !== null) {
    return fileMessage(createStreamOnFile(path));
  }

  if (typeof input === "string" || Buffer.isBuffer(input)) {
    return { source: new BufferStream(input), close() {} };
  }

  if (isReadable(input)) {
    return { source: input, close() {} };
  }

  throw new TypeError(
    "Invalid message: expected a Buffer, a string, a file: URL, { path } or a Readable",
  );
}

/** Return the file path a message input names, or null when it carries the bytes itself. */
export function filePathOf(input: MessageInput): string | null {
  if (input instanceof URL) {
    return fileURLToPath(input);
  }

  if (typeof input === "string") {
    return pathOfFileString(input);
  }

  if (isPathObject(input)) {
    return input.path;
  }

  return null;
}

/**
 * `file:///srv/mail/1.eml` is a file URL, and any other string that starts with `file:` is the
 * path after the prefix (`file:out/1.eml`, relative to the working directory).
 */
function pathOfFileString(text: string): string | null {
  if (!text.startsWith("file:")) {
    return null;
  }

  if (text.startsWith("file://")) {
    return fileURLToPath(text);
  }

  return text.slice("file:".length);
}

function fileMessage(stream: FileStream): OpenedMessage {
  return { source: stream, close: () => stream.Close() };
}

function isPathObject(input: unknown): input is { path: string } {
  return (
    typeof input === "object" &&
    input !== null &&
    !isReadable(input) &&
    typeof (input as { path?: unknown }).path === "string"
  );
}

function isReadable(input: unknown): input is Readable {
  return (
    typeof input === "object" &&
    input !== null &&
    typeof (input as Readable).pipe === "function" &&
    typeof (input as Readable)[Symbol.asyncIterator] === "function"
  );
}
