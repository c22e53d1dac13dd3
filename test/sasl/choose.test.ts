import { describe, expect, it } from "vitest";
import {
  chooseMechanism,
  createMechanism,
  PASSWORD_MECHANISMS,
  parseAuthCapability,
} from "../../src/compat/sasl/choose.js";
import { CramMd5Mechanism } from "../../src/compat/sasl/cram-md5.js";
import { SaslError } from "../../src/compat/sasl/errors.js";
import { LoginMechanism } from "../../src/compat/sasl/login.js";
import { NtlmMechanism } from "../../src/compat/sasl/ntlm.js";
import { PlainMechanism } from "../../src/compat/sasl/plain.js";
import { XOAuth2Mechanism } from "../../src/compat/sasl/xoauth2.js";

describe("parseAuthCapability", () => {
  it("RFC 4954 form", () => {
    expect(parseAuthCapability(["SIZE 1000", "AUTH LOGIN PLAIN CRAM-MD5", "8BITMIME"])).toEqual([
      "LOGIN",
      "PLAIN",
      "CRAM-MD5",
    ]);
  });

  it("old AUTH= form", () => {
    expect(parseAuthCapability(["AUTH=LOGIN PLAIN"])).toEqual(["LOGIN", "PLAIN"]);
  });

  it("both forms merged without duplicates", () => {
    expect(parseAuthCapability(["AUTH=LOGIN", "AUTH PLAIN LOGIN NTLM"])).toEqual([
      "LOGIN",
      "PLAIN",
      "NTLM",
    ]);
  });

  it("keyword and names are case-insensitive", () => {
    expect(parseAuthCapability(["auth login Plain", "Auth=ntlm"])).toEqual([
      "LOGIN",
      "PLAIN",
      "NTLM",
    ]);
  });

  it("no substring matches", () => {
    expect(
      parseAuthCapability(["AUTHX LOGIN", "X-AUTH PLAIN", "XAUTH=CRAM-MD5", "SIZE AUTH"]),
    ).toEqual([]);
  });

  it("tabs and extra spaces", () => {
    expect(parseAuthCapability(["  AUTH \t LOGIN   PLAIN  "])).toEqual(["LOGIN", "PLAIN"]);
  });

  it("skips invalid mechanism names", () => {
    expect(
      parseAuthCapability(["AUTH LOGIN PL@IN A_VERY_LONG_MECHANISM_NAME_X GSSAPI", "AUTH="]),
    ).toEqual(["LOGIN", "GSSAPI"]);
  });

  it("no AUTH line", () => {
    expect(parseAuthCapability(["PIPELINING", "STARTTLS"])).toEqual([]);
    expect(parseAuthCapability([])).toEqual([]);
  });
});

describe("chooseMechanism", () => {
  it("CRAM-MD5 before PLAIN before LOGIN", () => {
    expect(chooseMechanism(["LOGIN", "PLAIN", "CRAM-MD5"], { trySicily: false })).toBe("CRAM-MD5");
    expect(chooseMechanism(["LOGIN", "PLAIN"], { trySicily: false })).toBe("PLAIN");
    expect(chooseMechanism(["LOGIN"], { trySicily: false })).toBe("LOGIN");
  });

  it("server order does not matter", () => {
    expect(chooseMechanism(["PLAIN", "CRAM-MD5"], { trySicily: false })).toBe("CRAM-MD5");
  });

  it("NTLM with trySicily", () => {
    expect(chooseMechanism(["LOGIN", "NTLM"], { trySicily: true })).toBe("NTLM");
  });

  it("trySicily never falls back to a password mechanism", () => {
    expect(chooseMechanism(["LOGIN", "PLAIN"], { trySicily: true })).toBeNull();
  });

  it("NTLM is not chosen without trySicily", () => {
    expect(chooseMechanism(["NTLM"], { trySicily: false })).toBeNull();
    expect(chooseMechanism(["NTLM", "LOGIN"], { trySicily: false })).toBe("LOGIN");
  });

  it("XOAUTH2 only when available", () => {
    expect(chooseMechanism(["XOAUTH2", "PLAIN"], { trySicily: false })).toBe("PLAIN");
    expect(
      chooseMechanism(["PLAIN", "XOAUTH2"], { trySicily: false, available: ["XOAUTH2", "PLAIN"] }),
    ).toBe("XOAUTH2");
    expect(chooseMechanism(["PLAIN"], { trySicily: false, available: ["XOAUTH2"] })).toBeNull();
  });

  it("available narrows password mechanisms", () => {
    expect(
      chooseMechanism(["CRAM-MD5", "LOGIN"], { trySicily: false, available: ["PLAIN", "LOGIN"] }),
    ).toBe("LOGIN");
  });

  it("case-insensitive, no substrings", () => {
    expect(chooseMechanism(["cram-md5"], { trySicily: false })).toBe("CRAM-MD5");
    expect(chooseMechanism(["XPLAIN", "LOGIN2", "CRAM-MD5-PLUS"], { trySicily: false })).toBeNull();
  });

  it("nothing advertised", () => {
    expect(chooseMechanism([], { trySicily: false })).toBeNull();
    expect(chooseMechanism([], { trySicily: true })).toBeNull();
  });

  it("default available list", () => {
    expect(PASSWORD_MECHANISMS).toEqual(["CRAM-MD5", "PLAIN", "LOGIN"]);
  });

  it("NTLM left out of available", () => {
    expect(
      chooseMechanism(["NTLM"], { trySicily: true, available: PASSWORD_MECHANISMS }),
    ).toBeNull();
  });
});

describe("createMechanism", () => {
  const credentials = { username: "u", password: "p", accessToken: "t" };

  it("builds each mechanism", () => {
    expect(createMechanism("PLAIN", credentials)).toBeInstanceOf(PlainMechanism);
    expect(createMechanism("LOGIN", credentials)).toBeInstanceOf(LoginMechanism);
    expect(createMechanism("CRAM-MD5", credentials)).toBeInstanceOf(CramMd5Mechanism);
    expect(createMechanism("XOAUTH2", credentials)).toBeInstanceOf(XOAuth2Mechanism);
    expect(createMechanism("NTLM", credentials)).toBeInstanceOf(NtlmMechanism);
  });

  it("names match the AUTH keyword", () => {
    for (const name of ["PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2", "NTLM"] as const) {
      expect(createMechanism(name, credentials).name).toBe(name);
    }
  });

  it("XOAUTH2 without a token", () => {
    const action = () => createMechanism("XOAUTH2", { username: "u", password: "p" });

    expect(action).toThrow(SaslError);
    expect(action).toThrow(expect.objectContaining({ code: "ERR_SASL_INVALID_CREDENTIALS" }));
  });

  it("passes NTLM settings through", () => {
    const mechanism = createMechanism("NTLM", {
      username: "u",
      password: "p",
      ntlm: { domain: "CORP", workstation: "PC1" },
    });
    const challenge = Buffer.alloc(48);
    challenge.write("NTLMSSP\0", 0, "latin1");
    challenge.writeUInt32LE(2, 8);
    challenge.writeUInt32LE(1, 20);
    challenge.writeUInt32LE(48, 16);
    challenge.writeUInt32LE(48, 44);

    const response = mechanism.respond(challenge).response ?? Buffer.alloc(0);
    const domainOffset = response.readUInt32LE(32);

    expect(response.subarray(domainOffset, domainOffset + 8).toString("utf16le")).toBe("CORP");
  });
});
