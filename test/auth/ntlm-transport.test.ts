import { describe, expect, it } from "vitest";
import { SMTP_AUTH } from "../../src/imnxport/enums.js";
import { IXP_E_SICILY_LOGON_FAILED } from "../../src/imnxport/hresults.js";
import { expectScenario, runScenario } from "../support/scenario.js";
import { nameOf } from "../support/trace.js";

/*
 * The MS-NLMP §4.2.4 example run through the transport: user "User" in domain "Domain" with
 * password "Password", server challenge 0123456789abcdef, client challenge aa×8 and time zero.
 * The scripted server sends the example CHALLENGE_MESSAGE, and the NTProofStr at the start of
 * the NTLMv2 response the client sends must be the specification's value.
 */
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ""), "hex");
const utf16 = (text: string): Buffer => Buffer.from(text, "utf16le");

const SPEC_NT_PROOF_STR = hex("68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c");

function exampleChallenge(): Buffer {
  const targetName = utf16("Domain");
  const targetInfo = Buffer.concat([
    hex("02 00 0c 00"),
    utf16("Domain"),
    hex("01 00 0c 00"),
    utf16("Server"),
    hex("00 00 00 00"),
  ]);
  const header = Buffer.alloc(48);
  header.write("NTLMSSP\0", 0, "latin1");
  header.writeUInt32LE(2, 8);
  header.writeUInt16LE(targetName.length, 12);
  header.writeUInt16LE(targetName.length, 14);
  header.writeUInt32LE(48, 16);
  header.writeUInt32LE(hex("33 82 8a e2").readUInt32LE(0), 20);
  hex("01 23 45 67 89 ab cd ef").copy(header, 24);
  header.writeUInt16LE(targetInfo.length, 40);
  header.writeUInt16LE(targetInfo.length, 42);
  header.writeUInt32LE(48 + targetName.length, 44);
  return Buffer.concat([header, targetName, targetInfo]);
}

/** The NtChallengeResponse field of an AUTHENTICATE_MESSAGE, read by offset. */
function ntResponse(authenticate: Buffer): Buffer {
  const length = authenticate.readUInt16LE(20);
  const offset = authenticate.readUInt32LE(24);
  return authenticate.subarray(offset, offset + length);
}

function ntlmScenario(finalReply: string, golden: string | null = null) {
  const options = {
    message: null,
    commandLogging: true,
    serverFields: { szUserName: "User", szPassword: "Password", fTrySicily: true, dwFlags: 0x10 },
    connectAuthenticate: true,
    transportOptions: {
      ntlm: {
        domain: "Domain",
        workstation: "COMPUTER",
        clientChallenge: hex("aa".repeat(8)),
        timestamp: 0n,
      },
    },
    server: {
      ehloCapabilities: ["mail.test", "AUTH NTLM"],
      replies: {
        AUTH: `334 ${exampleChallenge().toString("base64")}\r\n`,
        OTHER: finalReply,
      },
    },
  };
  if (golden === null) {
    return runScenario(options);
  }

  return expectScenario(
    golden,
    "fAuthenticate with fTrySicily: NTLM with the MS-NLMP example values, every AUTH line masked",
    options,
  );
}

describe("NTLM through the transport", () => {
  it("sends the specification's NTProofStr", async () => {
    const run = await ntlmScenario("235 2.7.0 Authentication successful\r\n", "auth-ntlm-example");
    const commands = run.connection?.commands ?? [];
    const type3 = Buffer.from(commands[2] ?? "", "base64");

    expect(commands[1]).toMatch(/^AUTH NTLM [A-Za-z0-9+/=]+$/);
    expect(type3.subarray(0, 8).toString("latin1")).toBe("NTLMSSP\0");
    expect(type3.readUInt32LE(8)).toBe(3);
    expect(ntResponse(type3).subarray(0, 16).equals(SPEC_NT_PROOF_STR)).toBe(true);
    expect(run.recorder.errors).toEqual([]);
    expect(run.recorder.lines).toContain('send "AUTH NTLM ****\\r\\n"');
    expect(run.recorder.lines).toContain('send "****\\r\\n"');
    const auth = run.recorder.responses.filter((response) => response.command === SMTP_AUTH);
    expect(auth.map((response) => response.rIxpResult.uiServerError)).toEqual([334, 235]);
  });

  it("rejected NTLM ends with IXP_E_SICILY_LOGON_FAILED", async () => {
    const run = await ntlmScenario("535 5.7.3 Authentication unsuccessful\r\n");

    expect(run.recorder.errors).toHaveLength(1);
    expect(nameOf(run.recorder.errors[0]?.hrResult ?? 0)).toBe(nameOf(IXP_E_SICILY_LOGON_FAILED));
    expect(run.recorder.errors[0]?.uiServerError).toBe(535);
    expect(run.recorder.lines.some((line) => line.startsWith("error{IXP_AUTHORIZING,"))).toBe(true);
  });
});
