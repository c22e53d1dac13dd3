import { SaslError } from "./errors.js";

/*
 * The three NTLM messages of MS-NLMP §2.2.1 ([MS-NLMP]: NT LAN Manager (NTLM) Authentication
 * Protocol, Microsoft Open Specifications). All integers are little-endian. Variable-length
 * fields are described by 8-byte headers (length, maximum length, offset from the start of the
 * message) and stored in a payload after the fixed part.
 */

/** NegotiateFlags bits used here (MS-NLMP §2.2.2.5). */
export const NtlmFlags = {
  NEGOTIATE_UNICODE: 0x00000001,
  NEGOTIATE_OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  NEGOTIATE_NTLM: 0x00000200,
  NEGOTIATE_ALWAYS_SIGN: 0x00008000,
  NEGOTIATE_EXTENDED_SESSIONSECURITY: 0x00080000,
  NEGOTIATE_TARGET_INFO: 0x00800000,
  NEGOTIATE_VERSION: 0x02000000,
  NEGOTIATE_128: 0x20000000,
  NEGOTIATE_KEY_EXCH: 0x40000000,
  NEGOTIATE_56: 0x80000000,
} as const;

/**
 * Flags this client offers in its NEGOTIATE_MESSAGE. It requests Unicode strings and NTLM, and
 * none of signing, sealing or key exchange, because SMTP uses NTLM for authentication only.
 */
export const CLIENT_FLAGS =
  (NtlmFlags.NEGOTIATE_UNICODE |
    NtlmFlags.REQUEST_TARGET |
    NtlmFlags.NEGOTIATE_NTLM |
    NtlmFlags.NEGOTIATE_ALWAYS_SIGN |
    NtlmFlags.NEGOTIATE_EXTENDED_SESSIONSECURITY |
    NtlmFlags.NEGOTIATE_TARGET_INFO |
    NtlmFlags.NEGOTIATE_128 |
    NtlmFlags.NEGOTIATE_56) >>>
  0;

/** AvId values of the AV_PAIR structures in TargetInfo (MS-NLMP §2.2.2.1). */
export const AvId = {
  EOL: 0x0000,
  NB_COMPUTER_NAME: 0x0001,
  NB_DOMAIN_NAME: 0x0002,
  TIMESTAMP: 0x0007,
} as const;

const SIGNATURE = Buffer.from("NTLMSSP\0", "latin1");
const NEGOTIATE_MESSAGE_TYPE = 1;
const CHALLENGE_MESSAGE_TYPE = 2;
const AUTHENTICATE_MESSAGE_TYPE = 3;

/** Size of a NEGOTIATE_MESSAGE without Version or payload. */
const NEGOTIATE_HEADER_BYTES = 32;
/** Size of a CHALLENGE_MESSAGE from servers that send no TargetInfo fields (pre-NTLMv2). */
const CHALLENGE_MIN_BYTES = 32;
/** Size of a CHALLENGE_MESSAGE up to and including its TargetInfoFields. */
const CHALLENGE_WITH_TARGET_INFO_BYTES = 48;
/** Size of an AUTHENTICATE_MESSAGE without Version and MIC, where its payload starts. */
const AUTHENTICATE_HEADER_BYTES = 64;

const MECHANISM = "NTLM";

/** Builds a NEGOTIATE_MESSAGE with no domain or workstation name (MS-NLMP §2.2.1.1). */
export function encodeNegotiateMessage(flags: number): Buffer {
  const message = Buffer.alloc(NEGOTIATE_HEADER_BYTES);
  SIGNATURE.copy(message, 0);
  message.writeUInt32LE(NEGOTIATE_MESSAGE_TYPE, 8);
  message.writeUInt32LE(flags >>> 0, 12);
  writeField(message, 16, 0, NEGOTIATE_HEADER_BYTES);
  writeField(message, 24, 0, NEGOTIATE_HEADER_BYTES);
  return message;
}

/** The fields of a CHALLENGE_MESSAGE that the client uses. */
export interface ChallengeMessage {
  flags: number;
  /** The 8-byte nonce that the responses sign. */
  serverChallenge: Buffer;
  /** TargetName decoded as UTF-16LE or OEM (latin1) according to the Unicode flag. */
  targetName: string;
  /**
   * The TargetInfo bytes exactly as received, AV_PAIR list and MsvAvEOL included, because the
   * NTLMv2 response signs them unchanged. Empty when the server sent no TargetInfo.
   */
  targetInfo: Buffer;
  /** MsvAvTimestamp as a FILETIME (100 ns units since 1601-01-01 UTC), or null when absent. */
  timestamp: bigint | null;
}

/**
 * Parses a CHALLENGE_MESSAGE (MS-NLMP §2.2.1.2). Every length and offset is checked against the
 * message, so a hostile server cannot make the client read outside it. A violation raises
 * ERR_SASL_CHALLENGE_MALFORMED.
 */
export function parseChallengeMessage(message: Buffer): ChallengeMessage {
  if (message.length < CHALLENGE_MIN_BYTES) {
    throw malformed(
      `the message has ${message.length} bytes, fewer than the ${CHALLENGE_MIN_BYTES} of its fixed part`,
    );
  }

  if (!message.subarray(0, 8).equals(SIGNATURE)) {
    throw malformed('it does not start with the "NTLMSSP\\0" signature');
  }

  const messageType = message.readUInt32LE(8);
  if (messageType !== CHALLENGE_MESSAGE_TYPE) {
    throw malformed(`its MessageType is ${messageType}, expected ${CHALLENGE_MESSAGE_TYPE}`);
  }

  const flags = message.readUInt32LE(20);
  const targetNameBytes = readField(message, 12, "TargetName");
  const targetName =
    flags & NtlmFlags.NEGOTIATE_UNICODE
      ? targetNameBytes.toString("utf16le")
      : targetNameBytes.toString("latin1");

  const targetInfo =
    message.length >= CHALLENGE_WITH_TARGET_INFO_BYTES
      ? Buffer.from(readField(message, 40, "TargetInfo"))
      : Buffer.alloc(0);

  return {
    flags,
    serverChallenge: Buffer.from(message.subarray(24, 32)),
    targetName,
    targetInfo,
    timestamp: findTimestamp(targetInfo),
  };
}

/** The fields of an AUTHENTICATE_MESSAGE (MS-NLMP §2.2.1.3). Strings are sent as UTF-16LE. */
export interface AuthenticateFields {
  flags: number;
  lmChallengeResponse: Buffer;
  ntChallengeResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
}

/**
 * Builds an AUTHENTICATE_MESSAGE without Version, MIC or EncryptedRandomSessionKey.
 * NOTE: MS-NLMP §3.1.5.2.1 recommends (SHOULD) a MIC when the server sends MsvAvTimestamp.
 * This client sends none and does not set the MsvAvFlags bit that announces one, which has not
 * been tried against a server that demands a MIC.
 */
export function encodeAuthenticateMessage(fields: AuthenticateFields): Buffer {
  const domain = Buffer.from(fields.domain, "utf16le");
  const user = Buffer.from(fields.user, "utf16le");
  const workstation = Buffer.from(fields.workstation, "utf16le");
  const payload = [
    domain,
    user,
    workstation,
    fields.lmChallengeResponse,
    fields.ntChallengeResponse,
  ];
  const header = Buffer.alloc(AUTHENTICATE_HEADER_BYTES);

  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(AUTHENTICATE_MESSAGE_TYPE, 8);

  let offset = AUTHENTICATE_HEADER_BYTES;
  const place = (fieldOffset: number, bytes: Buffer): void => {
    writeField(header, fieldOffset, bytes.length, offset);
    offset += bytes.length;
  };
  place(28, domain);
  place(36, user);
  place(44, workstation);
  place(12, fields.lmChallengeResponse);
  place(20, fields.ntChallengeResponse);
  writeField(header, 52, 0, offset);
  header.writeUInt32LE(fields.flags >>> 0, 60);

  return Buffer.concat([header, ...payload]);
}

/** Writes a length, maximum length and offset field header at `at`. */
function writeField(message: Buffer, at: number, length: number, offset: number): void {
  if (length > 0xffff) {
    throw new RangeError(`NTLM field of ${length} bytes exceeds the 65535-byte limit.`);
  }

  message.writeUInt16LE(length, at);
  message.writeUInt16LE(length, at + 2);
  message.writeUInt32LE(offset, at + 4);
}

/** Reads the bytes that the field header at `at` describes, after a bounds check. */
function readField(message: Buffer, at: number, name: string): Buffer {
  const length = message.readUInt16LE(at);
  const offset = message.readUInt32LE(at + 4);
  if (length === 0) {
    return Buffer.alloc(0);
  }

  if (offset + length > message.length) {
    throw malformed(
      `its ${name} field (offset ${offset}, ${length} bytes) ends past the message's ${message.length} bytes`,
    );
  }

  return message.subarray(offset, offset + length);
}

/**
 * Walks the AV_PAIR list and returns MsvAvTimestamp. The list must end with MsvAvEOL and every
 * pair must fit, because the bytes are signed as they are and a truncated list would make the
 * server reject the response for an unclear reason.
 */
function findTimestamp(targetInfo: Buffer): bigint | null {
  if (targetInfo.length === 0) {
    return null;
  }

  let timestamp: bigint | null = null;
  let at = 0;
  while (at + 4 <= targetInfo.length) {
    const id = targetInfo.readUInt16LE(at);
    const length = targetInfo.readUInt16LE(at + 2);
    if (id === AvId.EOL) {
      return timestamp;
    }

    if (at + 4 + length > targetInfo.length) {
      throw malformed(`the AV pair ${id} at TargetInfo offset ${at} is longer than TargetInfo`);
    }

    if (id === AvId.TIMESTAMP) {
      if (length !== 8) {
        throw malformed(`its MsvAvTimestamp has ${length} bytes, expected 8`);
      }
      timestamp = targetInfo.readBigUInt64LE(at + 4);
    }
    at += 4 + length;
  }

  throw malformed("its TargetInfo does not end with MsvAvEOL");
}

function malformed(reason: string): SaslError {
  return new SaslError(
    "ERR_SASL_CHALLENGE_MALFORMED",
    `NTLM CHALLENGE_MESSAGE is invalid: ${reason} (MS-NLMP §2.2.1.2).`,
    MECHANISM,
  );
}
