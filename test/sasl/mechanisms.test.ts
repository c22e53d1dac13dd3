import { describe, expect, it } from "vitest";
import { CramMd5Mechanism } from "../../src/compat/sasl/cram-md5.js";
import { SaslError } from "../../src/compat/sasl/errors.js";
import { LoginMechanism } from "../../src/compat/sasl/login.js";
import { encodeResponse } from "../../src/compat/sasl/mechanism.js";
import { PlainMechanism } from "../../src/compat/sasl/plain.js";
import { XOAuth2Mechanism } from "../../src/compat/sasl/xoauth2.js";

function expectSaslError(action: () => unknown, code: string, mechanism: string): void {
  expect(action).toThrow(SaslError);
  expect(action).toThrow(expect.objectContaining({ code, mechanism }));
}

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the action to throw");
}

describe("PLAIN", () => {
  it("initial response is NUL user NUL password", () => {
    const step = new PlainMechanism({ username: "tim", password: "tanstaaftanstaaf" }).start();

    expect(step.response?.toString("latin1")).toBe("\0tim\0tanstaaftanstaaf");
    expect(step.secret).toBe(true);
  });

  it("authorization identity comes first", () => {
    const step = new PlainMechanism({
      username: "tim",
      password: "pw",
      authorizationId: "admin",
    }).start();

    expect(step.response?.toString("latin1")).toBe("admin\0tim\0pw");
  });

  it("encodes credentials as UTF-8", () => {
    const step = new PlainMechanism({ username: "jürgen", password: "pässword" }).start();

    expect(step.response?.equals(Buffer.from("\0jürgen\0pässword", "utf8"))).toBe(true);
  });

  for (const field of ["username", "password", "authorizationId"] as const) {
    it(`rejects NUL in ${field}`, () => {
      const options = { username: "u", password: "p", authorizationId: "", [field]: "a\0b" };

      expectSaslError(() => new PlainMechanism(options), "ERR_SASL_INVALID_CREDENTIALS", "PLAIN");
      expect(messageOf(() => new PlainMechanism(options))).not.toContain("a\0b");
    });
  }

  it("rejects any challenge after the initial response", () => {
    const mechanism = new PlainMechanism({ username: "u", password: "p" });
    mechanism.start();

    expectSaslError(
      () => mechanism.respond(Buffer.from("foo")),
      "ERR_SASL_UNEXPECTED_CHALLENGE",
      "PLAIN",
    );
    expectSaslError(
      () => mechanism.respond(Buffer.alloc(0)),
      "ERR_SASL_UNEXPECTED_CHALLENGE",
      "PLAIN",
    );
  });

  it("without initial response, answers the empty challenge", () => {
    const mechanism = new PlainMechanism({ username: "u", password: "p", initialResponse: false });

    expect(mechanism.start()).toEqual({ response: null, secret: false });
    expect(mechanism.respond(Buffer.alloc(0)).response?.toString("latin1")).toBe("\0u\0p");
    expectSaslError(
      () => mechanism.respond(Buffer.alloc(0)),
      "ERR_SASL_UNEXPECTED_CHALLENGE",
      "PLAIN",
    );
  });

  it("without initial response, rejects a non-empty challenge", () => {
    const mechanism = new PlainMechanism({ username: "u", password: "p", initialResponse: false });
    mechanism.start();

    expectSaslError(
      () => mechanism.respond(Buffer.from("foo")),
      "ERR_SASL_UNEXPECTED_CHALLENGE",
      "PLAIN",
    );
  });
});

describe("LOGIN", () => {
  it("sends username then password whatever the prompts say", () => {
    const mechanism = new LoginMechanism({ username: "alice", password: "s3cret" });

    expect(mechanism.start()).toEqual({ response: null, secret: false });

    const first = mechanism.respond(Buffer.from("Password:"));
    const second = mechanism.respond(Buffer.from("Username:"));

    expect(first.response?.toString()).toBe("alice");
    expect(first.secret).toBe(true);
    expect(second.response?.toString()).toBe("s3cret");
    expect(second.secret).toBe(true);
  });

  it("rejects a third challenge", () => {
    const mechanism = new LoginMechanism({ username: "alice", password: "s3cret" });
    mechanism.respond(Buffer.from("Username:"));
    mechanism.respond(Buffer.from("Password:"));

    expectSaslError(
      () => mechanism.respond(Buffer.from("Username:")),
      "ERR_SASL_UNEXPECTED_CHALLENGE",
      "LOGIN",
    );
  });

  it("empty username and password are sent as empty lines", () => {
    const mechanism = new LoginMechanism({ username: "", password: "" });

    expect(encodeResponse(mechanism.respond(Buffer.alloc(0)).response ?? Buffer.from("x"))).toBe(
      "",
    );
    expect(encodeResponse(mechanism.respond(Buffer.alloc(0)).response ?? Buffer.from("x"))).toBe(
      "",
    );
  });
});

describe("CRAM-MD5", () => {
  it("RFC 2195 example", () => {
    const mechanism = new CramMd5Mechanism({ username: "tim", password: "tanstaaftanstaaf" });
    expect(mechanism.start()).toEqual({ response: null, secret: false });

    const step = mechanism.respond(Buffer.from("<1896.697170952@postoffice.reston.mci.net>"));

    expect(step.response?.toString()).toBe("tim b913a602c7eda7a495b4e6e7334d3890");
    expect(encodeResponse(step.response ?? Buffer.alloc(0))).toBe(
      "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw",
    );
    expect(step.secret).toBe(true);
  });

  it("rejects an empty challenge", () => {
    const mechanism = new CramMd5Mechanism({ username: "tim", password: "x" });

    expectSaslError(
      () => mechanism.respond(Buffer.alloc(0)),
      "ERR_SASL_CHALLENGE_MALFORMED",
      "CRAM-MD5",
    );
  });

  it("rejects a second challenge", () => {
    const mechanism = new CramMd5Mechanism({ username: "tim", password: "x" });
    mechanism.respond(Buffer.from("<1@x>"));

    expectSaslError(
      () => mechanism.respond(Buffer.from("<2@x>")),
      "ERR_SASL_UNEXPECTED_CHALLENGE",
      "CRAM-MD5",
    );
  });
});

describe("XOAUTH2", () => {
  it("initial response in Google's documented format", () => {
    const step = new XOAuth2Mechanism({
      username: "someuser@example.com",
      accessToken: "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg",
    }).start();

    expect(step.response?.toString("latin1")).toBe(
      "user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01",
    );
    expect(encodeResponse(step.response ?? Buffer.alloc(0))).toMatch(
      /^dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxb/,
    );
    expect(step.secret).toBe(true);
  });

  it("answers the error challenge with an empty response", () => {
    const mechanism = new XOAuth2Mechanism({ username: "u@example.com", accessToken: "t" });
    mechanism.start();
    const error = '{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}';

    const step = mechanism.respond(Buffer.from(error));

    expect(step.response?.length).toBe(0);
    expect(step.secret).toBe(false);
    expect(mechanism.errorChallenge).toBe(error);
  });

  it("rejects a second challenge", () => {
    const mechanism = new XOAuth2Mechanism({ username: "u@example.com", accessToken: "t" });
    mechanism.respond(Buffer.from("{}"));

    expectSaslError(
      () => mechanism.respond(Buffer.from("{}")),
      "ERR_SASL_UNEXPECTED_CHALLENGE",
      "XOAUTH2",
    );
  });

  for (const field of ["username", "accessToken"] as const) {
    it(`rejects U+0001 in ${field}`, () => {
      const options = { username: "u", accessToken: "t", [field]: "a\x01auth=x" };

      expectSaslError(
        () => new XOAuth2Mechanism(options),
        "ERR_SASL_INVALID_CREDENTIALS",
        "XOAUTH2",
      );
      expect(messageOf(() => new XOAuth2Mechanism(options))).not.toContain("auth=x");
    });
  }
});
