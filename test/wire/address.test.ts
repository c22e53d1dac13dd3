import { describe, expect, it } from "vitest";
import {
  checkEhloName,
  checkEnvid,
  checkMailbox,
  checkReversePath,
  checkSaslMechanism,
  formatAddressLiteral,
} from "../../src/compat/wire/address.js";
import { rcptTo } from "../../src/compat/wire/commands.js";

/** Returns the reason of a rejected mailbox; fails the test when it was accepted. */
function rejection(input: string, options?: { allowUtf8?: boolean }): string {
  const result = checkMailbox(input, options);
  if (result.ok) {
    throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  }
  return result.reason;
}

function accepted(input: string, options?: { allowUtf8?: boolean }): string {
  const result = checkMailbox(input, options);
  if (!result.ok) {
    throw new Error(`expected ${JSON.stringify(input)} to be accepted: ${result.reason}`);
  }
  return result.mailbox;
}

describe("checkMailbox valid addresses", () => {
  const cases: [input: string, mailbox: string][] = [
    ["a@b", "a@b"],
    ["<a@b>", "a@b"],
    ["user@example.com", "user@example.com"],
    ["first.last+tag@mail.example.co.uk", "first.last+tag@mail.example.co.uk"],
    ["!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~@example.com"],
    ["-bi@example.com", "-bi@example.com"],
    ['"john doe"@example.com', '"john doe"@example.com'],
    ['"a\\"b"@example.com', '"a\\"b"@example.com'],
    ['""@example.com', '""@example.com'],
    ["user@[192.0.2.7]", "user@[192.0.2.7]"],
    ["user@[IPv6:2001:db8::7]", "user@[IPv6:2001:db8::7]"],
    ["user@xn--bcher-kva.example", "user@xn--bcher-kva.example"],
    ["user@a-b.example", "user@a-b.example"],
  ];

  for (const [input, mailbox] of cases) {
    it(`accepts ${input}`, () => {
      expect(accepted(input)).toBe(mailbox);
    });
  }

  it("accepts UTF-8 with allowUtf8", () => {
    expect(accepted("jürgen@bücher.example", { allowUtf8: true })).toBe("jürgen@bücher.example");
    expect(accepted("用户@例子.广告", { allowUtf8: true })).toBe("用户@例子.广告");
  });

  it("rejects UTF-8 without allowUtf8", () => {
    expect(rejection("jürgen@example.com")).toContain("SMTPUTF8");
    expect(rejection("user@bücher.example")).toContain("SMTPUTF8");
  });
});

describe("checkMailbox injection attempts", () => {
  it("CRLF and a second command", () => {
    const reason = rejection("a@example.com>\r\nRCPT TO:<victim@example.net");
    expect(reason).toContain("U+000D");
  });

  it("bare LF", () => {
    expect(rejection("b@example.com\nDATA")).toContain("U+000A");
  });

  it("bare CR", () => {
    expect(rejection("b@example.com\rDATA")).toContain("U+000D");
  });

  it("NUL", () => {
    expect(rejection("a@example.com\0RCPT TO:<x@evil>")).toContain("U+0000");
  });

  it("other controls and DEL", () => {
    for (const character of ["\x01", "\t", "\x1b", "\x1f", "\x7f", "\u0085", "\u009b"]) {
      const code = character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
      expect(rejection(`a${character}b@example.com`)).toContain(`U+${code}`);
      expect(rejection(`ab@example.com${character}`, { allowUtf8: true })).toContain(`U+${code}`);
    }
  });

  it("quoted local part stays inside brackets", () => {
    const input = '"foo@psres.net> ORCPT=admin@admin.com"@test.com';
    const mailbox = accepted(input);
    expect(mailbox).toBe(input);

    const wire = rcptTo(mailbox);
    expect(wire).toBe('RCPT TO:<"foo@psres.net> ORCPT=admin@admin.com"@test.com>\r\n');
    expect(wire).not.toContain("RCPT TO:<foo@psres.net> ORCPT=");
  });

  it("CRLF inside quotes", () => {
    expect(rejection('"evil\r\nRSET"@example.com')).toContain("U+000D");
  });

  it("comment in the address", () => {
    expect(rejection("user@good-corp.com(x)evil.com")).toContain("'('");
    expect(rejection("user(x)@example.com")).toContain("'('");
  });

  it("display name", () => {
    expect(rejection("Bob Smith <bob@example.com>")).toContain("display name");
    expect(rejection('"Bob Smith" <bob@example.com>')).toContain("display name");
    expect(rejection("Bob<bob@example.com>")).toContain("display name");
  });

  it("local part of 65 octets", () => {
    expect(accepted(`${"a".repeat(64)}@example.com`)).toHaveLength(76);
    expect(rejection(`${"a".repeat(65)}@example.com`)).toContain("local part is 65 octets");
  });

  it("local part counted in UTF-8 octets", () => {
    // 32 two-byte characters are 64 octets; one more byte is too many.
    expect(accepted(`${"é".repeat(32)}@example.com`, { allowUtf8: true })).toBeTruthy();
    expect(rejection(`${"é".repeat(32)}a@example.com`, { allowUtf8: true })).toContain("65 octets");
  });

  it("domain of 256 octets", () => {
    const label = "a".repeat(63);
    const domain255 = `${label}.${label}.${label}.${"a".repeat(63)}`;
    expect(domain255).toHaveLength(255);
    expect(rejection(`a@${domain255}x`)).toContain("domain is 256 octets");
  });

  it("path over 256 octets", () => {
    const label = "a".repeat(63);
    const domain = `${label}.${label}.${label}.${"a".repeat(60)}`;
    // 64 + 1 + 252 = 317 octets of address, under both part limits.
    expect(rejection(`${"b".repeat(64)}@${domain}`)).toContain("path <address> is 319 octets");
  });

  it("path of exactly 256 octets", () => {
    const domain = `${"a".repeat(63)}.${"a".repeat(63)}.${"a".repeat(61)}`;
    const address = `${"b".repeat(64)}@${domain}`;
    expect(address).toHaveLength(254);
    expect(accepted(address)).toBe(address);
    expect(accepted(`<${address}>`)).toBe(address);
    expect(rejection(`${address}a`)).toContain("path <address> is 257 octets");
  });

  it("full 256-byte INETADDR buffer", () => {
    const address = `${"b".repeat(64)}@${"a".repeat(63)}.${"a".repeat(63)}.${"a".repeat(63)}`;
    expect(address).toHaveLength(256);
    expect(rejection(address)).toContain("path <address> is 258 octets");
  });
});

describe("checkMailbox syntax", () => {
  const rejected: [input: string, reasonPart: string][] = [
    ["", "empty"],
    ["<>", "empty"],
    ["<a@b", "does not end with '>'"],
    ["a@b>", "does not start with '<'"],
    ["<<a@b>>", "'<'"],
    ["<a@b>>", "'>'"],
    ["<a<b@c>", "'<'"],
    ["ab", "no '@'"],
    ["@example.com", "local part before '@' is empty"],
    ["a@", "domain is empty"],
    ["a b@example.com", "space"],
    ["a@exa mple.com", "space"],
    [" a@example.com", "space"],
    ["a@example.com ", "space"],
    [".a@example.com", "'.'"],
    ["a.@example.com", "'.'"],
    ["a..b@example.com", "'.'"],
    ["a@b@example.com", "'@'"],
    ['a"b@example.com', "'\"'"],
    ['"abc@example.com', "no closing"],
    ['"a"b@example.com', "followed by '@'"],
    ["a@example.com.", "dots"],
    ["a@.example.com", "dots"],
    ["a@exa..mple.com", "dots"],
    ["a@-example.com", "'-'"],
    ["a@example-.com", "'-'"],
    ["a@exa_mple.com", "'_'"],
    [`a@${"a".repeat(64)}.com`, "63 octets"],
    ["a@[192.0.2.7", "does not end with ']'"],
    ["a@[300.0.2.7]", "[IPv4 address]"],
    ["a@[2001:db8::7]", "[IPv4 address]"],
    ["a@[IPv6:192.0.2.7]", "valid IPv6"],
    ["a@[IPv6:fe80::1%eth0]", "valid IPv6"],
    ["a@[tag:content]", "[IPv4 address]"],
    ["a@\ud800.example", "SMTPUTF8"],
  ];

  for (const [input, reasonPart] of rejected) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      expect(rejection(input)).toContain(reasonPart);
    });
  }

  it("rejects a lone surrogate with allowUtf8", () => {
    expect(rejection("a@\ud800.example", { allowUtf8: true })).toContain("surrogate");
  });

  it("reason never repeats the input", () => {
    const secret = "s3cr3t-token";
    expect(rejection(`${secret}\r\n@example.com`)).not.toContain(secret);
  });

  it("rejects non-string input", () => {
    expect(rejection(42 as unknown as string)).toContain("not a string");
  });
});

describe("checkReversePath", () => {
  it("accepts the null reverse path", () => {
    expect(checkReversePath("<>")).toEqual({ ok: true, mailbox: "" });
    expect(checkReversePath("")).toEqual({ ok: true, mailbox: "" });
  });

  it("checks other paths as mailboxes", () => {
    expect(checkReversePath("<a@b>")).toEqual({ ok: true, mailbox: "a@b" });
    expect(checkReversePath("<a@b>\r\n").ok).toBe(false);
    expect(checkReversePath("<<>>").ok).toBe(false);
  });
});

describe("checkEhloName", () => {
  it("accepts domains and address literals", () => {
    for (const name of ["client.example.org", "localhost", "[192.0.2.7]", "[IPv6:2001:db8::7]"]) {
      expect(checkEhloName(name), name).toEqual({ ok: true, name });
    }
  });

  it("rejects a second command", () => {
    const result = checkEhloName("client.example\r\nMAIL FROM:<x@evil>");
    expect(result.ok).toBe(false);
  });

  it("rejects invalid names", () => {
    for (const name of ["", "bad name", "host_name", "bücher.example", "[192.0.2]", "a..b"]) {
      expect(checkEhloName(name).ok, JSON.stringify(name)).toBe(false);
    }
  });

  it("rejects names over 255 octets", () => {
    const name = `${"a".repeat(63)}.${"a".repeat(63)}.${"a".repeat(63)}.${"a".repeat(64)}`;
    const result = checkEhloName(name);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toContain("256 octets");
  });
});

describe("checkSaslMechanism", () => {
  it("accepts registered names", () => {
    for (const name of ["PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2", "SCRAM-SHA-256", "GS2_KRB5"]) {
      expect(checkSaslMechanism(name), name).toEqual({ ok: true, mechanism: name });
    }
  });

  it("rejects a second command", () => {
    expect(checkSaslMechanism("PLAIN\r\nMAIL FROM:<x@evil>").ok).toBe(false);
    expect(checkSaslMechanism("LOGIN X").ok).toBe(false);
  });

  it("rejects bad names", () => {
    for (const name of ["", "plain", "LOGIN\0", "A".repeat(21), "MD5.1"]) {
      expect(checkSaslMechanism(name).ok, JSON.stringify(name)).toBe(false);
    }
    expect(checkSaslMechanism("A".repeat(20)).ok).toBe(true);
  });
});

describe("checkEnvid", () => {
  it("accepts printable ASCII", () => {
    expect(checkEnvid("QQ314159 a+b=c")).toEqual({ ok: true, envid: "QQ314159 a+b=c" });
    expect(checkEnvid("x".repeat(100)).ok).toBe(true);
  });

  it("rejects controls, non-ASCII and length", () => {
    for (const value of ["", "a\r\nb", "a\tb", "a\x7f", "é", "x".repeat(101)]) {
      expect(checkEnvid(value).ok, JSON.stringify(value)).toBe(false);
    }
  });
});

describe("formatAddressLiteral", () => {
  const cases: [ip: string, literal: string][] = [
    ["192.0.2.7", "[192.0.2.7]"],
    ["2001:db8::7", "[IPv6:2001:db8::7]"],
    ["2001:DB8::7", "[IPv6:2001:db8::7]"],
    ["::1", "[IPv6:::1]"],
    ["::ffff:1.2.3.4", "[1.2.3.4]"],
    ["::FFFF:192.0.2.7", "[192.0.2.7]"],
    ["::ffff:c000:207", "[192.0.2.7]"],
    ["0:0:0:0:0:ffff:c000:207", "[192.0.2.7]"],
    ["::ffff:0:1.2.3.4", "[IPv6:::ffff:0:1.2.3.4]"],
    ["fe80::1%eth0", "[IPv6:fe80::1]"],
    ["fe80::1%25", "[IPv6:fe80::1]"],
  ];

  for (const [ip, literal] of cases) {
    it(`formats ${ip}`, () => {
      expect(formatAddressLiteral(ip)).toBe(literal);
    });
  }

  it("output passes checkEhloName", () => {
    for (const [ip] of cases) {
      const literal = formatAddressLiteral(ip);
      expect(checkEhloName(literal).ok, literal).toBe(true);
    }
  });

  it("rejects non-addresses", () => {
    expect(() => formatAddressLiteral("localhost")).toThrow(TypeError);
    expect(() => formatAddressLiteral("")).toThrow(TypeError);
    expect(() => formatAddressLiteral("1.2.3")).toThrow(TypeError);
  });
});
