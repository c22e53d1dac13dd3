import { createHmac } from "node:crypto";
import { md4 } from "./md4.js";

/*
 * NTLMv2 response computation (MS-NLMP §3.3.2). Only NTLMv2 is implemented, because the LM and
 * NTLMv1 responses rest on DES and on an unsalted hash that can be cracked offline. Node 20's
 * OpenSSL 3 build has no DES-ECB either. Strings are UTF-16LE, as MS-NLMP's UNICODE() means.
 */

/** 100-ns intervals from 1601-01-01 (the FILETIME epoch) to 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

/** Returns the current time as a FILETIME: 100-ns intervals since 1601-01-01 UTC. */
export function currentFileTime(nowMs: number = Date.now()): bigint {
  return FILETIME_UNIX_EPOCH + BigInt(Math.trunc(nowMs)) * 10_000n;
}

/** Returns the NT hash, MD4(UNICODE(password)) (NTOWFv1 in MS-NLMP §3.3.1). */
export function ntHash(password: string): Buffer {
  return md4(Buffer.from(password, "utf16le"));
}

/**
 * Returns NTOWFv2 (MS-NLMP §3.3.2): HMAC-MD5 keyed with the NT hash over
 * UNICODE(Uppercase(user) + domain). The domain keeps its case. It is both ResponseKeyNT and
 * ResponseKeyLM.
 */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  return hmacMd5(ntHash(password), Buffer.from(upcase(user) + domain, "utf16le"));
}

export interface NtlmV2Input {
  /** NTOWFv2 of the user's credentials. */
  responseKey: Buffer;
  /** The 8-byte ServerChallenge of the CHALLENGE_MESSAGE. */
  serverChallenge: Buffer;
  /** 8 random bytes chosen by the client. */
  clientChallenge: Buffer;
  /** FILETIME placed in the blob: the server's MsvAvTimestamp if it sent one, else the clock. */
  timestamp: bigint;
  /** The server's TargetInfo bytes, signed as received (ServerName in MS-NLMP §3.3.2). */
  targetInfo: Buffer;
  /**
   * True leaves LmChallengeResponse empty, as MS-NLMP §3.1.5.2.1 recommends (SHOULD NOT send it)
   * when the CHALLENGE_MESSAGE has a TargetInfo field.
   */
  omitLmResponse: boolean;
}

export interface NtlmV2Result {
  /** HMAC-MD5(ResponseKeyNT, ServerChallenge + temp): the proof that the client knows the key. */
  ntProofStr: Buffer;
  /** The client blob signed by NTProofStr (`temp` in MS-NLMP §3.3.2). */
  temp: Buffer;
  /** NTProofStr followed by temp: the NtChallengeResponse field. */
  ntChallengeResponse: Buffer;
  /** The LMv2 response (HMAC-MD5 over both challenges, then the client challenge), or empty. */
  lmChallengeResponse: Buffer;
  /** HMAC-MD5(ResponseKeyNT, NTProofStr). */
  sessionBaseKey: Buffer;
}

/**
 * Computes the NTLMv2 and LMv2 responses and the session base key (ComputeResponse in MS-NLMP
 * §3.3.2).
 */
export function computeNtlmV2Response(input: NtlmV2Input): NtlmV2Result {
  const temp = buildTemp(input.timestamp, input.clientChallenge, input.targetInfo);
  const ntProofStr = hmacMd5(input.responseKey, Buffer.concat([input.serverChallenge, temp]));

  const lmChallengeResponse = input.omitLmResponse
    ? Buffer.alloc(0)
    : Buffer.concat([
        hmacMd5(input.responseKey, Buffer.concat([input.serverChallenge, input.clientChallenge])),
        input.clientChallenge,
      ]);

  return {
    ntProofStr,
    temp,
    ntChallengeResponse: Buffer.concat([ntProofStr, temp]),
    lmChallengeResponse,
    sessionBaseKey: hmacMd5(input.responseKey, ntProofStr),
  };
}

/**
 * Builds `temp`: Responserversion 1, HiResponserversion 1, Z(6), Time, ClientChallenge, Z(4),
 * ServerName, Z(4). This is the NTLMv2_CLIENT_CHALLENGE structure of MS-NLMP §2.2.2.7.
 */
function buildTemp(timestamp: bigint, clientChallenge: Buffer, targetInfo: Buffer): Buffer {
  const fixed = Buffer.alloc(28);
  fixed[0] = 1;
  fixed[1] = 1;
  fixed.writeBigUInt64LE(timestamp, 8);
  clientChallenge.copy(fixed, 16, 0, 8);
  return Buffer.concat([fixed, targetInfo, Buffer.alloc(4)]);
}

function hmacMd5(key: Buffer, data: Buffer): Buffer {
  return createHmac("md5", key).update(data).digest();
}

/**
 * Upper-cases one character at a time, keeping a character whose upper case is longer (such as
 * ß) so that the name keeps its length.
 * NOTE: Windows upper-cases with its own table, which has not been compared with JavaScript's
 * for names outside ASCII, so such a name may fail to authenticate.
 */
function upcase(text: string): string {
  let result = "";
  for (const character of text) {
    const upper = character.toUpperCase();
    result += upper.length === character.length ? upper : character;
  }
  return result;
}
