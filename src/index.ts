/**
 * imnxport: Outlook Express 6's SMTP transport (Imnxport.idl) on Node.js.
 *
 * The package root exports the IDL mirror (enums, bare constants, structs, interfaces,
 * HRESULTs, GUIDs), `createSMTPTransport()`, which returns an ISMTPTransport2, and the COM
 * porting layer: `CoCreateInstance`, and IStreams over memory and over a file. The promise API
 * (`connect`, `SMTPClient`, `SMTPError`) is this package's extension for new code.
 *
 * @packageDocumentation
 */

export { SMTPCallbackBase } from "./compat/callback-base.js";
export { BufferStream } from "./compat/com/buffer-stream.js";
export {
  CLSCTX_ALL,
  CLSCTX_INPROC_SERVER,
  CoCreateInstance,
} from "./compat/com/class-factory.js";
export {
  createStreamOnFile,
  FILE_READ_CHUNK_BYTES,
  FileStream,
  SHCreateStreamOnFile,
  STG_E_ACCESSDENIED,
  STG_E_FILENOTFOUND,
  STG_E_INVALIDFUNCTION,
  STG_E_READFAULT,
  STGM_READ,
} from "./compat/com/file-stream.js";
export { type Clock, LOG_PRODUCT_NAME, ProtocolLog } from "./compat/log/protocol-log.js";
export {
  cmdTypeName,
  commandName,
  formatHresult,
  hresultName,
  statusName,
} from "./compat/names.js";
export type {
  HostResolver,
  NetworkSeam,
  ResolvedAddress,
  SocketFactory,
} from "./compat/net/connection.js";
export type { TlsOptions } from "./compat/net/tls.js";
export type { NtlmOptions } from "./compat/sasl/ntlm.js";
export type { NtlmSettings } from "./compat/session/mechanisms.js";
export {
  formatCommand,
  formatError,
  formatHr,
  formatResponse,
  formatResult,
  formatStatus,
} from "./compat/trace-format.js";
export { createSMTPTransport, SMTPTransport, type TransportOptions } from "./compat/transport.js";
export { describeWinsockError } from "./compat/winsock.js";
export type { MessageInput } from "./extensions/message-input.js";
export type { SMTPResponseEvent } from "./extensions/response-events.js";
export {
  type ConnectOptions,
  connect,
  type SendOptions,
  type SendResult,
  SMTPClient,
} from "./extensions/smtp-client.js";
export { SMTPError } from "./extensions/smtp-error.js";
export * from "./imnxport/index.js";
