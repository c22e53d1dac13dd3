import { describe, expect, it } from "vitest";
import { SaslError } from "../../src/compat/sasl/errors.js";
import { NtlmMechanism } from "../../src/compat/sasl/ntlm.js";
import {
  CLIENT_FLAGS,
  encodeNegotiateMessage,
  NtlmFlags,
  parseChallengeMessage,
} from "../../src/compat/sasl/ntlm-messages.js";
import { computeNtlmV2Response, currentFileTime, ntowfv2 } from "../../src/compat/sasl/ntlmv2.js";

/*
 * Inputs of the MS-NLMP §4.2 examples: user "User", domain "Domain", password "Password",
 * server challenge 0123456789abcdef, client challenge aa×8 and time zero. Expected values come
 * from its NTLMv2 section §4.2.4: the Challenge Flags and AV pairs, NTOWFv2 (§4.2.4.1.1), the
 * session base key (§4.2.4.1.2), temp (§4.2.4.1.3), the LMv2 response (§4.2.4.2.1), and
 * NTProofStr, which starts the NTLMv2 response (§4.2.4.2.2).
 */
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ""), "hex");
const utf16 = (text: string): Buffer => Buffer.from(text, "utf16le");

const SERVER_CHALLENGE = hex("01 23 45 67 89 ab cd ef");
const CLIENT_CHALLENGE = hex("aa aa aa aa aa aa aa aa");
const EXAMPLE_FLAGS = hex("33 82 8a e2").readUInt32LE(0);
/** MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL, in the order of temp. */
const EXAMPLE_TARGET_INFO = Buffer.concat([
  hex("02 00 0c 00"),
  utf16("Domain"),
  hex("01 00 0c 00"),
  utf16("Server"),
  hex("00 00 00 00"),
]);

const SPEC_NTOWFV2 = hex("0c 86 8a 40 3b fd 7a 93 a3 00 1e f2 2e f0 2e 3f");
const SPEC_SESSION_BASE_KEY = hex("8d e4 0c ca db c1 4a 82 f1 5c b0 ad 0d e9 5c a3");
const SPEC_TEMP = hex(`
  01 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00
  aa aa aa aa aa aa aa aa 00 00 00 00 02 00 0c 00
  44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00
  53 00 65 00 72 00 76 00 65 00 72 00 00 00 00 00
  00 00 00 00`);
const SPEC_LMV2_RESPONSE = hex(
  "86 c3 50 97 ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa aa aa aa aa",
);
const SPEC_NT_PROOF_STR = hex("68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c");

interface ChallengeFixture {
  flags?: number;
  targetName?: Buffer;
  targetInfo?: Buffer | null;
  serverChallenge?: Buffer;
}

/** Builds a CHALLENGE_MESSAGE with TargetName and then TargetInfo in its payload. */
function challengeMessage(fixture: ChallengeFixture = {}): Buffer {
  const targetName = fixture.targetName ?? utf16("Domain");
  const targetInfo = fixture.targetInfo === undefined ? EXAMPLE_TARGET_INFO : fixture.targetInfo;
  const header = Buffer.alloc(targetInfo === null ? 32 : 48);
  header.write("NTLMSSP\0", 0, "latin1");
  header.writeUInt32LE(2, 8);
  field(header, 12, targetName.length, header.length);
  header.writeUInt32LE((fixture.flags ?? EXAMPLE_FLAGS) >>> 0, 20);
  (fixture.serverChallenge ?? SERVER_CHALLENGE).copy(header, 24);
  if (targetInfo !== null) {
    field(header, 40, targetInfo.length, header.length + targetName.length);
  }
  return Buffer.concat([header, targetName, targetInfo ?? Buffer.alloc(0)]);
}

function field(message: Buffer, at: number, length: number, offset: number): void {
  message.writeUInt16LE(length, at);
  message.writeUInt16LE(length, at + 2);
  message.writeUInt32LE(offset, at + 4);
}

/** Reads the fields of an AUTHENTICATE_MESSAGE independently of the encoder. */
function readAuthenticate(message: Buffer) {
  const read = (at: number): Buffer => {
    const length = message.readUInt16LE(at);
    const maxLength = message.readUInt16LE(at + 2);
    const offset = message.readUInt32LE(at + 4);
    expect(maxLength).toBe(length);
    expect(offset + length).toBeLessThanOrEqual(message.length);
    return message.subarray(offset, offset + length);
  };

  return {
    signature: message.subarray(0, 8).toString("latin1"),
    type: message.readUInt32LE(8),
    lm: read(12),
    nt: read(20),
    domain: read(28).toString("utf16le"),
    user: read(36).toString("utf16le"),
    workstation: read(44).toString("utf16le"),
    sessionKey: read(52),
    flags: message.readUInt32LE(60),
  };
}

function exampleMechanism(): NtlmMechanism {
  return new NtlmMechanism({
    username: "User",
    domain: "Domain",
    password: "Password",
    workstation: "COMPUTER",
    clientChallenge: CLIENT_CHALLENGE,
    timestamp: 0n,
  });
}

function expectSaslError(action: () => unknown, code: string): void {
  expect(action).toThrow(SaslError);
  expect(action).toThrow(expect.objectContaining({ code, mechanism: "NTLM" }));
}

describe("NTLMv2 computation (MS-NLMP 4.2.4)", () => {
  const responseKey = ntowfv2("Password", "User", "Domain");
  const result = computeNtlmV2Response({
    responseKey,
    serverChallenge: SERVER_CHALLENGE,
    clientChallenge: CLIENT_CHALLENGE,
    timestamp: 0n,
    targetInfo: EXAMPLE_TARGET_INFO,
    omitLmResponse: false,
  });

  it("NTOWFv2 of User, Domain, Password", () => {
    expect(responseKey.toString("hex")).toBe(SPEC_NTOWFV2.toString("hex"));
  });

  it("user name is upper-cased, domain is not", () => {
    expect(ntowfv2("Password", "user", "Domain").equals(SPEC_NTOWFV2)).toBe(true);
    expect(ntowfv2("Password", "User", "DOMAIN").equals(SPEC_NTOWFV2)).toBe(false);
  });

  it("temp blob", () => {
    expect(result.temp.toString("hex")).toBe(SPEC_TEMP.toString("hex"));
  });

  it("NTProofStr", () => {
    expect(result.ntProofStr.toString("hex")).toBe(SPEC_NT_PROOF_STR.toString("hex"));
  });

  it("NTLMv2 response is NTProofStr then temp", () => {
    const expected = Buffer.concat([SPEC_NT_PROOF_STR, SPEC_TEMP]);

    expect(result.ntChallengeResponse.toString("hex")).toBe(expected.toString("hex"));
  });

  it("LMv2 response", () => {
    expect(result.lmChallengeResponse.toString("hex")).toBe(SPEC_LMV2_RESPONSE.toString("hex"));
  });

  it("session base key", () => {
    expect(result.sessionBaseKey.toString("hex")).toBe(SPEC_SESSION_BASE_KEY.toString("hex"));
  });

  it("LMv2 omitted as empty", () => {
    const omitted = computeNtlmV2Response({
      responseKey,
      serverChallenge: SERVER_CHALLENGE,
      clientChallenge: CLIENT_CHALLENGE,
      timestamp: 0n,
      targetInfo: EXAMPLE_TARGET_INFO,
      omitLmResponse: true,
    });

    expect(omitted.lmChallengeResponse.length).toBe(0);
    expect(omitted.ntProofStr.equals(SPEC_NT_PROOF_STR)).toBe(true);
  });

  it("FILETIME of the Unix epoch and of a known date", () => {
    expect(currentFileTime(0)).toBe(116_444_736_000_000_000n);
    // 2000-01-01T00:00:00Z is 946684800 s after the Unix epoch.
    expect(currentFileTime(946_684_800_000)).toBe(
      116_444_736_000_000_000n + 9_466_848_000_000_000n,
    );
  });
});

describe("NTLM messages", () => {
  it("NEGOTIATE_MESSAGE bytes", () => {
    const message = encodeNegotiateMessage(CLIENT_FLAGS);

    expect(message.length).toBe(32);
    expect(message.subarray(0, 8).toString("latin1")).toBe("NTLMSSP\0");
    expect(message.readUInt32LE(8)).toBe(1);
    expect(message.readUInt32LE(12)).toBe(CLIENT_FLAGS);
    expect(message.subarray(16, 32).toString("hex")).toBe("00000000200000000000000020000000");
  });

  it("client flags ask for Unicode and NTLM but no key exchange", () => {
    expect(CLIENT_FLAGS & NtlmFlags.NEGOTIATE_UNICODE).not.toBe(0);
    expect(CLIENT_FLAGS & NtlmFlags.NEGOTIATE_NTLM).not.toBe(0);
    expect(CLIENT_FLAGS & NtlmFlags.NEGOTIATE_OEM).toBe(0);
    expect(CLIENT_FLAGS & NtlmFlags.NEGOTIATE_KEY_EXCH).toBe(0);
  });

  it("CHALLENGE_MESSAGE fields", () => {
    const parsed = parseChallengeMessage(challengeMessage());

    expect(parsed.flags).toBe(EXAMPLE_FLAGS);
    expect(parsed.serverChallenge.equals(SERVER_CHALLENGE)).toBe(true);
    expect(parsed.targetName).toBe("Domain");
    expect(parsed.targetInfo.equals(EXAMPLE_TARGET_INFO)).toBe(true);
    expect(parsed.timestamp).toBeNull();
  });

  it("CHALLENGE_MESSAGE without TargetInfo fields", () => {
    const parsed = parseChallengeMessage(challengeMessage({ targetInfo: null }));

    expect(parsed.targetInfo.length).toBe(0);
    expect(parsed.serverChallenge.equals(SERVER_CHALLENGE)).toBe(true);
  });

  it("OEM TargetName decoded as latin1", () => {
    const parsed = parseChallengeMessage(
      challengeMessage({
        flags: NtlmFlags.NEGOTIATE_OEM,
        targetName: Buffer.from("DOMAIN", "latin1"),
      }),
    );

    expect(parsed.targetName).toBe("DOMAIN");
  });

  it("MsvAvTimestamp read from TargetInfo", () => {
    const stamp = Buffer.alloc(8);
    stamp.writeBigUInt64LE(0x01d0_0000_1234_5678n);
    const targetInfo = Buffer.concat([hex("07 00 08 00"), stamp, hex("00 00 00 00")]);

    expect(parseChallengeMessage(challengeMessage({ targetInfo })).timestamp).toBe(
      0x01d0_0000_1234_5678n,
    );
  });

  const malformed: ReadonlyArray<[string, () => Buffer]> = [
    ["shorter than 32 bytes", () => challengeMessage().subarray(0, 31)],
    [
      "wrong signature",
      () => {
        const message = challengeMessage();
        message.write("NTLMSSX", 0, "latin1");
        return message;
      },
    ],
    [
      "wrong MessageType",
      () => {
        const message = challengeMessage();
        message.writeUInt32LE(3, 8);
        return message;
      },
    ],
    [
      "TargetName past the end",
      () => {
        const message = challengeMessage();
        message.writeUInt32LE(message.length - 2, 16);
        return message;
      },
    ],
    [
      "TargetInfo past the end",
      () => {
        const message = challengeMessage();
        message.writeUInt16LE(EXAMPLE_TARGET_INFO.length + 1, 40);
        return message;
      },
    ],
    [
      "TargetInfo offset near 2^32",
      () => {
        const message = challengeMessage();
        message.writeUInt32LE(0xffff_fff0, 44);
        return message;
      },
    ],
    [
      "AV pair longer than TargetInfo",
      () => challengeMessage({ targetInfo: hex("02 00 10 00 44 00") }),
    ],
    [
      "TargetInfo without MsvAvEOL",
      () => challengeMessage({ targetInfo: hex("02 00 02 00 44 00") }),
    ],
    ["TargetInfo cut inside a pair header", () => challengeMessage({ targetInfo: hex("02 00") })],
    [
      "MsvAvTimestamp of 4 bytes",
      () => challengeMessage({ targetInfo: hex("07 00 04 00 00 00 00 00 00 00 00 00") }),
    ],
  ];

  for (const [name, build] of malformed) {
    it(`rejects CHALLENGE_MESSAGE: ${name}`, () => {
      expectSaslError(() => parseChallengeMessage(build()), "ERR_SASL_CHALLENGE_MALFORMED");
    });
  }
});

describe("NtlmMechanism", () => {
  it("starts with the NEGOTIATE_MESSAGE as a public initial response", () => {
    const step = exampleMechanism().start();

    expect(step.secret).toBe(false);
    expect(step.response?.equals(encodeNegotiateMessage(CLIENT_FLAGS))).toBe(true);
  });

  it("answers the example challenge with the spec's responses", () => {
    const mechanism = exampleMechanism();
    mechanism.start();

    const step = mechanism.respond(challengeMessage());
    const message = readAuthenticate(step.response ?? Buffer.alloc(0));

    expect(step.secret).toBe(true);
    expect(message.signature).toBe("NTLMSSP\0");
    expect(message.type).toBe(3);
    expect(message.nt.toString("hex")).toBe(
      Buffer.concat([SPEC_NT_PROOF_STR, SPEC_TEMP]).toString("hex"),
    );
    expect(message.lm.length).toBe(0);
    expect(message.domain).toBe("Domain");
    expect(message.user).toBe("User");
    expect(message.workstation).toBe("COMPUTER");
    expect(message.sessionKey.length).toBe(0);
    expect(message.flags).toBe((EXAMPLE_FLAGS & CLIENT_FLAGS) >>> 0);
    expect(mechanism.targetName).toBe("Domain");
  });

  it("payload starts right after the 64-byte header", () => {
    const mechanism = exampleMechanism();
    const response = mechanism.respond(challengeMessage()).response ?? Buffer.alloc(0);

    expect(response.readUInt32LE(32)).toBe(64);
    expect(response.length).toBe(64 + 12 + 8 + 16 + 16 + SPEC_TEMP.length);
  });

  it("takes the domain from DOMAIN\\user", () => {
    const mechanism = new NtlmMechanism({
      username: "Domain\\User",
      password: "Password",
      clientChallenge: CLIENT_CHALLENGE,
      timestamp: 0n,
    });

    const message = readAuthenticate(
      mechanism.respond(challengeMessage()).response ?? Buffer.alloc(0),
    );

    expect(message.domain).toBe("Domain");
    expect(message.user).toBe("User");
    expect(message.nt.subarray(0, 16).equals(SPEC_NT_PROOF_STR)).toBe(true);
  });

  it("sends a user@domain name whole with an empty domain", () => {
    const mechanism = new NtlmMechanism({ username: "user@example.com", password: "Password" });

    const message = readAuthenticate(
      mechanism.respond(challengeMessage()).response ?? Buffer.alloc(0),
    );

    expect(message.user).toBe("user@example.com");
    expect(message.domain).toBe("");
    expect(message.workstation).toBe("");
  });

  it("uses the server's MsvAvTimestamp", () => {
    const stamp = Buffer.alloc(8);
    stamp.writeBigUInt64LE(133_000_000_000_000_000n);
    const targetInfo = Buffer.concat([
      hex("02 00 0c 00"),
      utf16("Domain"),
      hex("07 00 08 00"),
      stamp,
      hex("00 00 00 00"),
    ]);
    const mechanism = exampleMechanism();

    const message = readAuthenticate(
      mechanism.respond(challengeMessage({ targetInfo })).response ?? Buffer.alloc(0),
    );

    expect(message.lm.length).toBe(0);
    expect(message.nt.readBigUInt64LE(16 + 8)).toBe(133_000_000_000_000_000n);
    expect(message.nt.subarray(16 + 28, 16 + 28 + targetInfo.length).equals(targetInfo)).toBe(true);
  });

  it("sends LMv2 when the server sent no TargetInfo", () => {
    const mechanism = exampleMechanism();

    const message = readAuthenticate(
      mechanism.respond(challengeMessage({ targetInfo: null })).response ?? Buffer.alloc(0),
    );

    expect(message.lm.toString("hex")).toBe(SPEC_LMV2_RESPONSE.toString("hex"));
    // Without TargetInfo, temp is its 28-byte fixed part and then Z(4).
    const temp = Buffer.concat([SPEC_TEMP.subarray(0, 28), Buffer.alloc(4)]);
    expect(message.nt.subarray(16).toString("hex")).toBe(temp.toString("hex"));
  });

  it("random client challenge and current time by default", () => {
    const before = currentFileTime();
    const first = new NtlmMechanism({ username: "u", password: "p" });
    const second = new NtlmMechanism({ username: "u", password: "p" });

    const firstNt = readAuthenticate(
      first.respond(challengeMessage()).response ?? Buffer.alloc(0),
    ).nt;
    const secondNt = readAuthenticate(
      second.respond(challengeMessage()).response ?? Buffer.alloc(0),
    ).nt;

    expect(firstNt.subarray(16 + 16, 16 + 24).equals(secondNt.subarray(16 + 16, 16 + 24))).toBe(
      false,
    );
    expect(firstNt.readBigUInt64LE(16 + 8)).toBeGreaterThanOrEqual(before);
    expect(firstNt.readBigUInt64LE(16 + 8)).toBeLessThanOrEqual(currentFileTime());
  });

  it("rejects a second challenge", () => {
    const mechanism = exampleMechanism();
    mechanism.respond(challengeMessage());

    expectSaslError(() => mechanism.respond(challengeMessage()), "ERR_SASL_UNEXPECTED_CHALLENGE");
  });

  it("rejects a server that did not pick Unicode", () => {
    const flags = (EXAMPLE_FLAGS & ~NtlmFlags.NEGOTIATE_UNICODE) >>> 0;

    expectSaslError(
      () => exampleMechanism().respond(challengeMessage({ flags })),
      "ERR_SASL_UNSUPPORTED_CHALLENGE",
    );
  });

  it("rejects the human-readable 334 text as a challenge", () => {
    expectSaslError(
      () => exampleMechanism().respond(Buffer.from("NTLM supported")),
      "ERR_SASL_CHALLENGE_MALFORMED",
    );
  });

  it("rejects a client challenge of the wrong size", () => {
    expect(
      () => new NtlmMechanism({ username: "u", password: "p", clientChallenge: Buffer.alloc(7) }),
    ).toThrow(RangeError);
  });

  it("messages never contain the password", () => {
    const mechanism = new NtlmMechanism({ username: "u", password: "hunter2-secret" });
    const responses = [mechanism.start().response, mechanism.respond(challengeMessage()).response];

    for (const response of responses) {
      expect(response?.includes(Buffer.from("hunter2-secret", "utf16le"))).toBe(false);
      expect(response?.includes(Buffer.from("hunter2-secret"))).toBe(false);
    }
  });
});
