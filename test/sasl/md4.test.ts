import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { md4 } from "../../src/compat/sasl/md4.js";
import { ntHash } from "../../src/compat/sasl/ntlmv2.js";

/** RFC 1320 appendix A.5, "MD4 test suite". */
const RFC_1320_VECTORS: ReadonlyArray<[string, string]> = [
  ["", "31d6cfe0d16ae931b73c59d7e0c089c0"],
  ["a", "bde52cb31de33e46245e05fbdbd6fb24"],
  ["abc", "a448017aaf21d8525fc10ae87aa6729d"],
  ["message digest", "d9130a8164549fe818874806e1c7014b"],
  ["abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"],
  [
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "043f8582f241db351ce627e153e7f0e4",
  ],
  [
    "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
    "e33b4ddc9c38f2199c3e7b164fcc0536",
  ],
];

describe("md4", () => {
  it("node:crypto has no md4 here", () => {
    // The reason md4.ts exists: if this starts passing, node:crypto could replace it.
    expect(() => createHash("md4")).toThrow(
      expect.objectContaining({ code: "ERR_OSSL_EVP_UNSUPPORTED" }),
    );
  });

  for (const [message, digest] of RFC_1320_VECTORS) {
    it(`RFC 1320 A.5 vector ${JSON.stringify(message.slice(0, 20))}`, () => {
      expect(md4(Buffer.from(message, "latin1")).toString("hex")).toBe(digest);
    });
  }

  it("accepts a Uint8Array view into a larger buffer", () => {
    const backing = Buffer.from("xxabcxx", "latin1");
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, 3);

    expect(md4(view).toString("hex")).toBe("a448017aaf21d8525fc10ae87aa6729d");
  });

  it("digest depends on every byte near block boundaries", () => {
    // Lengths 55, 56, 63 and 64 change how many padding blocks follow the message.
    for (const length of [55, 56, 63, 64, 119, 120]) {
      const message = Buffer.alloc(length, 0x61);
      const changed = Buffer.from(message);
      changed[length - 1] = 0x62;

      expect(md4(message).equals(md4(changed)), `length ${length}`).toBe(false);
      expect(md4(message).length).toBe(16);
    }
  });
});

describe("NT hash", () => {
  it("MS-NLMP 4.2.2.1.2 NTOWFv1 of Password", () => {
    expect(ntHash("Password").toString("hex")).toBe("a4f49c406510bdcab6824ee7c30fd852");
  });

  it("MS-SAMR 4.3 NT hashes", () => {
    expect(ntHash("OLDPASSWORD").toString("hex")).toBe("6677b2c394311355b54f25eec5bfacf5");
    expect(ntHash("NEWPASSWORD").toString("hex")).toBe("256781a62031289d3c2c98c14f1efc8c");
  });
});
