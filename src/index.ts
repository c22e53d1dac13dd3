/**
 * imnxport: Outlook Express 6's SMTP transport (Imnxport.idl) on Node.js.
 *
 * The package root exports the IDL mirror (enums, bare constants, structs, interfaces,
 * HRESULTs, GUIDs) and `createSMTPTransport()`, which returns an ISMTPTransport2.
 *
 * @packageDocumentation
 */

export { SMTPCallbackBase } from "./compat/callback-base.js";
export { BufferStream } from "./compat/com/buffer-stream.js";
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
export {
  formatCommand,
  formatError,
  formatHr,
  formatResponse,
  formatResult,
  formatStatus,
} from "./compat/trace-format.js";
export { createSMTPTransport, SMTPTransport, type TransportOptions } from "./compat/transport.js";
export * from "./imnxport/index.js";
