import { describe, expect, it } from "vitest";
import {
  auth,
  data,
  dot,
  dsnNotifyParam,
  dsnRetParam,
  ehlo,
  envidParam,
  helo,
  mailFrom,
  quit,
  rcptTo,
  rset,
  startTls,
  xtext,
} from "../../src/compat/wire/commands.js";
import {
  ADDR_DSN_DELAY,
  ADDR_DSN_FAILURE,
  ADDR_DSN_NEVER,
  ADDR_DSN_SUCCESS,
  ADDR_FROM,
  ADDR_TO,
  DSNRET_DEFAULT,
  DSNRET_FULL,
  DSNRET_HDRS,
} from "../../src/imnxport/enums.js";

describe("command lines", () => {
  it("MAIL FROM without space after colon", () => {
    expect(mailFrom("a@x")).toBe("MAIL FROM:<a@x>\r\n");
  });

  it("MAIL FROM with the null reverse path", () => {
    expect(mailFrom("")).toBe("MAIL FROM:<>\r\n");
  });

  it("MAIL FROM with parameters", () => {
    expect(mailFrom("a@x", ["RET=HDRS", "ENVID=QQ314159"])).toBe(
      "MAIL FROM:<a@x> RET=HDRS ENVID=QQ314159\r\n",
    );
    expect(mailFrom("a@x", [])).toBe("MAIL FROM:<a@x>\r\n");
  });

  it("RCPT TO with and without parameters", () => {
    expect(rcptTo("b@y")).toBe("RCPT TO:<b@y>\r\n");
    expect(rcptTo("b@y", ["NOTIFY=SUCCESS,FAILURE"])).toBe(
      "RCPT TO:<b@y> NOTIFY=SUCCESS,FAILURE\r\n",
    );
  });

  it("EHLO and HELO", () => {
    expect(ehlo("client.example.org")).toBe("EHLO client.example.org\r\n");
    expect(helo("[192.0.2.7]")).toBe("HELO [192.0.2.7]\r\n");
  });

  it("AUTH with and without initial response", () => {
    expect(auth("LOGIN")).toBe("AUTH LOGIN\r\n");
    expect(auth("PLAIN", "AGFsaWNlAHNlY3JldA==")).toBe("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
    expect(auth("EXTERNAL", "")).toBe("AUTH EXTERNAL =\r\n");
  });

  it("commands without arguments", () => {
    expect(rset()).toBe("RSET\r\n");
    expect(data()).toBe("DATA\r\n");
    expect(quit()).toBe("QUIT\r\n");
    expect(startTls()).toBe("STARTTLS\r\n");
    expect(dot()).toBe(".\r\n");
  });
});

describe("dsnNotifyParam", () => {
  it("null without DSN bits", () => {
    expect(dsnNotifyParam(ADDR_TO)).toBeNull();
    expect(dsnNotifyParam(ADDR_FROM)).toBeNull();
  });

  it("NEVER wins over other bits", () => {
    expect(dsnNotifyParam(ADDR_DSN_NEVER)).toBe("NOTIFY=NEVER");
    expect(dsnNotifyParam(ADDR_TO | ADDR_DSN_NEVER | ADDR_DSN_SUCCESS)).toBe("NOTIFY=NEVER");
  });

  it("lists set bits in RFC order", () => {
    expect(dsnNotifyParam(ADDR_DSN_SUCCESS)).toBe("NOTIFY=SUCCESS");
    expect(dsnNotifyParam(ADDR_DSN_FAILURE)).toBe("NOTIFY=FAILURE");
    expect(dsnNotifyParam(ADDR_DSN_DELAY)).toBe("NOTIFY=DELAY");
    expect(dsnNotifyParam(ADDR_DSN_DELAY | ADDR_DSN_SUCCESS)).toBe("NOTIFY=SUCCESS,DELAY");
    expect(dsnNotifyParam(ADDR_DSN_DELAY | ADDR_DSN_FAILURE | ADDR_DSN_SUCCESS | ADDR_TO)).toBe(
      "NOTIFY=SUCCESS,FAILURE,DELAY",
    );
  });
});

describe("DSN MAIL parameters", () => {
  it("RET from DSNRET", () => {
    expect(dsnRetParam(DSNRET_DEFAULT)).toBeNull();
    expect(dsnRetParam(DSNRET_HDRS)).toBe("RET=HDRS");
    expect(dsnRetParam(DSNRET_FULL)).toBe("RET=FULL");
    expect(dsnRetParam(7)).toBeNull();
  });

  it("ENVID is xtext-encoded", () => {
    expect(envidParam("QQ314159")).toBe("ENVID=QQ314159");
    expect(envidParam("id <1+1=2>")).toBe("ENVID=id+20<1+2B1+3D2>");
  });
});

describe("xtext", () => {
  it("keeps xchars", () => {
    expect(xtext("!azAZ09~<>")).toBe("!azAZ09~<>");
  });

  it("encodes plus, equals, space and controls", () => {
    expect(xtext("a+b=c d")).toBe("a+2Bb+3Dc+20d");
    expect(xtext("\r\n\0\x7f")).toBe("+0D+0A+00+7F");
  });

  it("encodes UTF-8 bytes", () => {
    expect(xtext("é")).toBe("+C3+A9");
  });

  it("empty value", () => {
    expect(xtext("")).toBe("");
  });
});
