import { describe, expect, it } from "vitest";
import {
  classifyReply,
  hresultForReply,
  isValidReplyCode,
} from "../../src/compat/wire/reply-codes.js";
import {
  SMTP_AUTH,
  SMTP_BANNER,
  SMTP_CONNECTED,
  SMTP_CUSTOM,
  SMTP_DATA,
  SMTP_DOT,
  SMTP_EHLO,
  SMTP_HELO,
  SMTP_MAIL,
  SMTP_NONE,
  SMTP_QUIT,
  SMTP_RCPT,
  SMTP_RSET,
  SMTP_SEND_MESSAGE,
  SMTP_SEND_STREAM,
  type SMTPCOMMAND,
} from "../../src/imnxport/enums.js";
import {
  IXP_E_SMTP_334_AUTH_READY_RESPONSE,
  IXP_E_SMTP_354_START_MAIL_INPUT,
  IXP_E_SMTP_REJECTED_RECIPIENTS,
  IXP_E_SMTP_REJECTED_SENDER,
} from "../../src/imnxport/hresults.js";

// Expected values are literals, so a wrong constant in src/imnxport/hresults.ts cannot hide a
// wrong mapping.
const mappedCodes: [code: number, hresult: number][] = [
  [211, 0x000ccc70],
  [214, 0x000ccc71],
  [220, 0x000ccc72],
  [221, 0x000ccc73],
  [235, 0x000ccc79],
  [245, 0x000ccc79],
  [250, 0x000ccc74],
  [251, 0x000ccc75],
  [334, 0x000ccc78],
  [354, 0x000ccc76],
  [421, 0x800ccc67],
  [450, 0x800ccc68],
  [451, 0x800ccc6a],
  [452, 0x800ccc6c],
  [454, 0x800ccc7f],
  [500, 0x800ccc62],
  [501, 0x800ccc63],
  [502, 0x800ccc64],
  [503, 0x800ccc65],
  [504, 0x800ccc66],
  [530, 0x800ccc7c],
  [550, 0x800ccc69],
  [551, 0x800ccc6b],
  [552, 0x800ccc6d],
  [553, 0x800ccc6e],
  [554, 0x800ccc6f],
];

const S_OK = 0;
const RESPONSE_ERROR = 0x800ccc60;
const UNKNOWN_RESPONSE_CODE = 0x800ccc61;

const allCommands: SMTPCOMMAND[] = [
  SMTP_NONE,
  SMTP_BANNER,
  SMTP_CONNECTED,
  SMTP_SEND_MESSAGE,
  SMTP_AUTH,
  SMTP_EHLO,
  SMTP_HELO,
  SMTP_MAIL,
  SMTP_RCPT,
  SMTP_RSET,
  SMTP_QUIT,
  SMTP_DATA,
  SMTP_DOT,
  SMTP_SEND_STREAM,
  SMTP_CUSTOM,
];

describe("hresultForReply", () => {
  for (const [code, hresult] of mappedCodes) {
    it(`maps ${code} for every command`, () => {
      for (const command of allCommands) {
        expect(hresultForReply(code, command), `command ${command}`).toBe(hresult);
      }
    });
  }

  it("unmapped 4xx and 5xx give RESPONSE_ERROR", () => {
    for (const code of [400, 432, 446, 453, 455, 505, 521, 534, 535, 555, 556]) {
      expect(hresultForReply(code, SMTP_MAIL), `code ${code}`).toBe(RESPONSE_ERROR);
    }
  });

  it("unmapped success for the command gives S_OK", () => {
    expect(hresultForReply(252, SMTP_CUSTOM)).toBe(S_OK);
    expect(hresultForReply(200, SMTP_CUSTOM)).toBe(S_OK);
    expect(hresultForReply(300, SMTP_CUSTOM)).toBe(S_OK);
  });

  it("unexpected unmapped 2xx gives UNKNOWN_RESPONSE_CODE", () => {
    expect(hresultForReply(252, SMTP_MAIL)).toBe(UNKNOWN_RESPONSE_CODE);
    expect(hresultForReply(233, SMTP_BANNER)).toBe(UNKNOWN_RESPONSE_CODE);
    expect(hresultForReply(252, SMTP_NONE)).toBe(UNKNOWN_RESPONSE_CODE);
  });

  it("invalid codes give UNKNOWN_RESPONSE_CODE", () => {
    for (const code of [0, 100, 199, 260, 600, 666, 699, 2200, -250, 250.5]) {
      expect(hresultForReply(code, SMTP_CUSTOM), `code ${code}`).toBe(UNKNOWN_RESPONSE_CODE);
    }
  });

  it("354 to MAIL keeps its table value", () => {
    expect(classifyReply(354, SMTP_MAIL)).toBe("unexpected");
    expect(hresultForReply(354, SMTP_MAIL)).toBe(IXP_E_SMTP_354_START_MAIL_INPUT);
  });

  it("success codes differ from stage failures", () => {
    // 0x000CCC78 and 0x800CCC78 share the low 16 bits, and only the severity bit differs.
    expect(hresultForReply(334, SMTP_AUTH)).toBe(IXP_E_SMTP_334_AUTH_READY_RESPONSE);
    expect(hresultForReply(334, SMTP_AUTH)).not.toBe(IXP_E_SMTP_REJECTED_SENDER);
    expect(hresultForReply(235, SMTP_AUTH)).not.toBe(IXP_E_SMTP_REJECTED_RECIPIENTS);
  });
});

describe("classifyReply", () => {
  const successCodes: [command: SMTPCOMMAND, name: string, codes: number[]][] = [
    [SMTP_BANNER, "BANNER", [220]],
    [SMTP_EHLO, "EHLO", [250]],
    [SMTP_HELO, "HELO", [250]],
    [SMTP_MAIL, "MAIL", [250]],
    [SMTP_RCPT, "RCPT", [250, 251]],
    [SMTP_DATA, "DATA", [354]],
    [SMTP_DOT, "DOT", [250]],
    [SMTP_RSET, "RSET", [250]],
    [SMTP_AUTH, "AUTH", [235, 245, 334]],
    [SMTP_QUIT, "QUIT", [221]],
    [SMTP_NONE, "NONE", []],
    [SMTP_CONNECTED, "CONNECTED", []],
    [SMTP_SEND_MESSAGE, "SEND_MESSAGE", []],
    [SMTP_SEND_STREAM, "SEND_STREAM", []],
  ];

  for (const [command, name, codes] of successCodes) {
    it(`${name} success codes`, () => {
      for (let code = 200; code <= 399; code++) {
        if (!isValidReplyCode(code)) {
          continue;
        }
        const expected = codes.includes(code) ? "success" : "unexpected";
        expect(classifyReply(code, command), `code ${code}`).toBe(expected);
      }
    });
  }

  it("CUSTOM accepts any 2xx and 3xx", () => {
    for (const code of [200, 220, 235, 252, 259, 300, 334, 354, 359]) {
      expect(classifyReply(code, SMTP_CUSTOM), `code ${code}`).toBe("success");
    }
  });

  it("4xx and 5xx fail for every command", () => {
    for (const command of allCommands) {
      for (const code of [400, 421, 454, 459, 500, 530, 554, 559]) {
        expect(classifyReply(code, command), `command ${command} code ${code}`).toBe("failure");
      }
    }
  });

  it("invalid codes are unexpected", () => {
    for (const code of [199, 260, 460, 560, 600, 666]) {
      expect(classifyReply(code, SMTP_CUSTOM), `code ${code}`).toBe("unexpected");
    }
  });

  it("hostile greeting codes", () => {
    expect(classifyReply(233, SMTP_BANNER)).toBe("unexpected");
    expect(classifyReply(354, SMTP_BANNER)).toBe("unexpected");
    expect(classifyReply(446, SMTP_BANNER)).toBe("failure");
    expect(classifyReply(421, SMTP_BANNER)).toBe("failure");
    expect(classifyReply(554, SMTP_BANNER)).toBe("failure");
  });
});

describe("isValidReplyCode", () => {
  it("follows the RFC 5321 digit ranges", () => {
    expect(isValidReplyCode(200)).toBe(true);
    expect(isValidReplyCode(559)).toBe(true);
    expect(isValidReplyCode(199)).toBe(false);
    expect(isValidReplyCode(260)).toBe(false);
    expect(isValidReplyCode(560)).toBe(false);
    expect(isValidReplyCode(600)).toBe(false);
    expect(isValidReplyCode(Number.NaN)).toBe(false);
  });
});
