import { describe, expect, it } from "vitest";
import { SaslError } from "../../src/compat/sasl/errors.js";
import {
  decodeChallenge,
  encodeResponse,
  MAX_SASL_CHALLENGES,
  SASL_CANCEL,
} from "../../src/compat/sasl/mechanism.js";

describe("decodeChallenge", () => {
  it("decodes the LOGIN prompt", () => {
    expect(decodeChallenge("VXNlcm5hbWU6").toString()).toBe("Username:");
  });

  it("empty payload is an empty challenge", () => {
    expect(decodeChallenge("").length).toBe(0);
    expect(decodeChallenge(" ").length).toBe(0);
  });

  it("ignores spaces and tabs around the payload", () => {
    expect(decodeChallenge(" \tUGFzc3dvcmQ6 \t").toString()).toBe("Password:");
  });

  it("accepts both padding forms", () => {
    expect(decodeChallenge("YQ==").toString()).toBe("a");
    expect(decodeChallenge("YWI=").toString()).toBe("ab");
  });

  const invalid = [
    "%%%not-base64",
    "NTLM supported",
    "VXNlcm5hbWU",
    "VXNl cm5hbWU6",
    "YQ=",
    "YQ===",
    "=",
    "Y===",
    "YQ==YQ==",
    "-_-_",
    "VXNlcm5hbWU6\r",
  ];

  for (const payload of invalid) {
    it(`rejects ${JSON.stringify(payload)}`, () => {
      expect(() => decodeChallenge(payload)).toThrow(SaslError);
      expect(() => decodeChallenge(payload)).toThrow(
        expect.objectContaining({ code: "ERR_SASL_CHALLENGE_MALFORMED", mechanism: null }),
      );
    });
  }

  it("error message quotes at most 40 characters", () => {
    const payload = `!${"A".repeat(200)}`;

    expect(() => decodeChallenge(payload)).toThrow(/"!A{39}"/);
  });
});

describe("encodeResponse", () => {
  it("base64 without line breaks", () => {
    const encoded = encodeResponse(Buffer.alloc(200, 0xff));

    expect(encoded).not.toMatch(/\s/);
    expect(Buffer.from(encoded, "base64").equals(Buffer.alloc(200, 0xff))).toBe(true);
  });

  it("empty response is an empty string", () => {
    expect(encodeResponse(Buffer.alloc(0))).toBe("");
  });
});

describe("exchange limits", () => {
  it("five challenges and * to cancel", () => {
    expect(MAX_SASL_CHALLENGES).toBe(5);
    expect(SASL_CANCEL).toBe("*");
  });
});
