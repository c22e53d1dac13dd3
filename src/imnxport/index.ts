/**
 * Declarations mirroring the SMTP part of Outlook Express 6's `Imnxport.idl`: enums, HRESULTs,
 * structures, interfaces, GUIDs and constants, with their IDL names.
 *
 * @module
 */

export * from "./constants.js";
export * from "./enums.js";
export * from "./guids.js";
export * from "./hresults.js";
export * from "./interfaces.js";
export * from "./objidl.js";
export * from "./structs.js";
