import { randomBytes } from "node:crypto";
import { SaslError } from "./errors.js";
import type { SaslMechanism, SaslStep } from "./mechanism.js";
import {
  CLIENT_FLAGS,
  encodeAuthenticateMessage,
  encodeNegotiateMessage,
  NtlmFlags,
  parseChallengeMessage,
} from "./ntlm-messages.js";
import { computeNtlmV2Response, currentFileTime, ntowfv2 } from "./ntlmv2.js";

export interface NtlmOptions {
  /** The user name, or `DOMAIN\user`, which sets the domain when `domain` is not given. */
  username: string;
  password: string;
  /**
   * The user's domain. The default is the part before a backslash in `username`, else empty,
   * which is also right for a `user@domain` principal name.
   */
  domain?: string;
  /** The client's computer name sent in the AUTHENTICATE_MESSAGE. The default sends none. */
  workstation?: string;
  /** The 8-byte client challenge. The default is 8 random bytes, and tests pass fixed ones. */
  clientChallenge?: Buffer;
  /**
   * The FILETIME used when the server sends no MsvAvTimestamp. The default is the current
   * time, and tests pass a fixed one.
   */
  timestamp?: bigint;
}

const NAME = "NTLM";
const CLIENT_CHALLENGE_BYTES = 8;

/**
 * NTLM for SMTP ([MS-SMTPNTLM]), which Outlook Express calls Secure Password Authentication.
 * The AUTH command carries the NEGOTIATE_MESSAGE as its initial response, as MS-SMTPNTLM
 * §3.1.4.1 recommends (SHOULD). The client responds to the server's CHALLENGE_MESSAGE with an
 * AUTHENTICATE_MESSAGE that contains an NTLMv2 response, and an LMv2 response only for a server
 * that sent no TargetInfo (MS-NLMP §3.3.2 and §3.1.5.2.1).
 */
export class NtlmMechanism implements SaslMechanism {
  readonly name = NAME;

  #user: string;
  #domain: string;
  #password: string;
  #workstation: string;
  #clientChallenge: Buffer;
  #timestamp: bigint | null;

  /**
   * The CHALLENGE_MESSAGE's TargetName (usually the server's NetBIOS domain) after `respond`
   * has processed the challenge, else null. A caller can show it when the login fails.
   */
  targetName: string | null = null;

  constructor(options: NtlmOptions) {
    const backslash = options.username.indexOf("\\");
    const hasDomainPrefix = backslash >= 0 && options.domain === undefined;
    this.#user = hasDomainPrefix ? options.username.slice(backslash + 1) : options.username;
    this.#domain = hasDomainPrefix ? options.username.slice(0, backslash) : (options.domain ?? "");
    this.#password = options.password;
    this.#workstation = options.workstation ?? "";
    this.#clientChallenge = options.clientChallenge ?? randomBytes(CLIENT_CHALLENGE_BYTES);
    this.#timestamp = options.timestamp ?? null;

    if (this.#clientChallenge.length !== CLIENT_CHALLENGE_BYTES) {
      throw new RangeError(
        `NTLM client challenge has ${this.#clientChallenge.length} bytes, expected ${CLIENT_CHALLENGE_BYTES}.`,
      );
    }
  }

  start(): SaslStep {
    return { response: encodeNegotiateMessage(CLIENT_FLAGS), secret: false };
  }

  respond(challenge: Buffer): SaslStep {
    if (this.targetName !== null) {
      throw new SaslError(
        "ERR_SASL_UNEXPECTED_CHALLENGE",
        "NTLM received a challenge after its AUTHENTICATE_MESSAGE. Expected 235 or a failure reply.",
        NAME,
      );
    }

    const message = parseChallengeMessage(challenge);
    if ((message.flags & NtlmFlags.NEGOTIATE_UNICODE) === 0) {
      throw new SaslError(
        "ERR_SASL_UNSUPPORTED_CHALLENGE",
        "NTLM server did not select Unicode strings (NTLMSSP_NEGOTIATE_UNICODE), and this client cannot send OEM strings.",
        NAME,
      );
    }

    const result = computeNtlmV2Response({
      responseKey: ntowfv2(this.#password, this.#user, this.#domain),
      serverChallenge: message.serverChallenge,
      clientChallenge: this.#clientChallenge,
      timestamp: message.timestamp ?? this.#timestamp ?? currentFileTime(),
      targetInfo: message.targetInfo,
      omitLmResponse: message.targetInfo.length > 0,
    });

    this.targetName = message.targetName;

    const authenticate = encodeAuthenticateMessage({
      flags: (message.flags & CLIENT_FLAGS) >>> 0,
      lmChallengeResponse: result.lmChallengeResponse,
      ntChallengeResponse: result.ntChallengeResponse,
      domain: this.#domain,
      user: this.#user,
      workstation: this.#workstation,
    });
    return { response: authenticate, secret: true };
  }
}
