import { describe, expect, it } from "vitest";

import * as imnxport from "../../src/imnxport/index.js";
import {
  FACILITY_INTERNET,
  FAILED,
  HRESULT_CODE,
  HRESULT_FACILITY,
  HRESULT_NAMES,
  HRESULT_SEVERITY,
  IsEqualGUID,
  S_FALSE,
  SUCCEEDED,
} from "../../src/imnxport/index.js";

const exported = imnxport as unknown as Record<string, unknown>;

// Every HRESULT of Imnxport.idl and each standard code the API returns: name, unsigned value and
// signed int32 value. The signed column is a second, independent spelling of each value, so a
// typo in either column fails.
const HRESULT_TABLE: ReadonlyArray<readonly [string, number, number]> = [
  ["S_OK", 0x00000000, 0],
  ["NOERROR", 0x00000000, 0],
  ["S_FALSE", 0x00000001, 1],
  ["E_NOTIMPL", 0x80004001, -2147467263],
  ["E_NOINTERFACE", 0x80004002, -2147467262],
  ["E_POINTER", 0x80004003, -2147467261],
  ["E_FAIL", 0x80004005, -2147467259],
  ["E_UNEXPECTED", 0x8000ffff, -2147418113],
  ["E_INVALIDARG", 0x80070057, -2147024809],
  ["E_OUTOFMEMORY", 0x8007000e, -2147024882],
  ["CLASS_E_NOAGGREGATION", 0x80040110, -2147221232],
  ["CLASS_E_CLASSNOTAVAILABLE", 0x80040111, -2147221231],
  ["IXP_E_LOAD_SICILY_FAILED", 0x800ccc00, -2146644992],
  ["IXP_E_INVALID_CERT_CN", 0x800ccc01, -2146644991],
  ["IXP_E_INVALID_CERT_DATE", 0x800ccc02, -2146644990],
  ["IXP_E_ALREADY_CONNECTED", 0x800ccc03, -2146644989],
  ["IXP_E_CONN", 0x800ccc04, -2146644988],
  ["IXP_E_NOT_CONNECTED", 0x800ccc05, -2146644987],
  ["IXP_E_CONN_SEND", 0x800ccc06, -2146644986],
  ["IXP_E_WOULD_BLOCK", 0x800ccc07, -2146644985],
  ["IXP_E_INVALID_STATE", 0x800ccc08, -2146644984],
  ["IXP_E_CONN_RECV", 0x800ccc09, -2146644983],
  ["IXP_E_INCOMPLETE", 0x800ccc0a, -2146644982],
  ["IXP_E_BUSY", 0x800ccc0b, -2146644981],
  ["IXP_E_NOT_INIT", 0x800ccc0c, -2146644980],
  ["IXP_E_CANT_FIND_HOST", 0x800ccc0d, -2146644979],
  ["IXP_E_FAILED_TO_CONNECT", 0x800ccc0e, -2146644978],
  ["IXP_E_CONNECTION_DROPPED", 0x800ccc0f, -2146644977],
  ["IXP_E_INVALID_ADDRESS", 0x800ccc10, -2146644976],
  ["IXP_E_INVALID_ADDRESS_LIST", 0x800ccc11, -2146644975],
  ["IXP_E_SOCKET_READ_ERROR", 0x800ccc12, -2146644974],
  ["IXP_E_SOCKET_WRITE_ERROR", 0x800ccc13, -2146644973],
  ["IXP_E_SOCKET_INIT_ERROR", 0x800ccc14, -2146644972],
  ["IXP_E_SCOKET_INIT_ERROR", 0x800ccc14, -2146644972],
  ["IXP_E_SOCKET_CONNECT_ERROR", 0x800ccc15, -2146644971],
  ["IXP_E_INVALID_ACCOUNT", 0x800ccc16, -2146644970],
  ["IXP_E_USER_CANCEL", 0x800ccc17, -2146644969],
  ["IXP_E_SICILY_LOGON_FAILED", 0x800ccc18, -2146644968],
  ["IXP_E_TIMEOUT", 0x800ccc19, -2146644967],
  ["IXP_E_SECURE_CONNECT_FAILED", 0x800ccc1a, -2146644966],
  ["IXP_E_SMTP_RESPONSE_ERROR", 0x800ccc60, -2146644896],
  ["IXP_E_SMTP_UNKNOWN_RESPONSE_CODE", 0x800ccc61, -2146644895],
  ["IXP_E_SMTP_500_SYNTAX_ERROR", 0x800ccc62, -2146644894],
  ["IXP_E_SMTP_501_PARAM_SYNTAX", 0x800ccc63, -2146644893],
  ["IXP_E_SMTP_502_COMMAND_NOTIMPL", 0x800ccc64, -2146644892],
  ["IXP_E_SMTP_503_COMMAND_SEQ", 0x800ccc65, -2146644891],
  ["IXP_E_SMTP_504_COMMAND_PARAM_NOTIMPL", 0x800ccc66, -2146644890],
  ["IXP_E_SMTP_421_NOT_AVAILABLE", 0x800ccc67, -2146644889],
  ["IXP_E_SMTP_450_MAILBOX_BUSY", 0x800ccc68, -2146644888],
  ["IXP_E_SMTP_550_MAILBOX_NOT_FOUND", 0x800ccc69, -2146644887],
  ["IXP_E_SMTP_451_ERROR_PROCESSING", 0x800ccc6a, -2146644886],
  ["IXP_E_SMTP_551_USER_NOT_LOCAL", 0x800ccc6b, -2146644885],
  ["IXP_E_SMTP_452_NO_SYSTEM_STORAGE", 0x800ccc6c, -2146644884],
  ["IXP_E_SMTP_552_STORAGE_OVERFLOW", 0x800ccc6d, -2146644883],
  ["IXP_E_SMTP_553_MAILBOX_NAME_SYNTAX", 0x800ccc6e, -2146644882],
  ["IXP_E_SMTP_554_TRANSACT_FAILED", 0x800ccc6f, -2146644881],
  ["IXP_E_SMTP_211_SYSTEM_STATUS", 0x000ccc70, 838768],
  ["IXP_E_SMTP_214_HELP_MESSAGE", 0x000ccc71, 838769],
  ["IXP_E_SMTP_220_READY", 0x000ccc72, 838770],
  ["IXP_E_SMTP_221_CLOSING", 0x000ccc73, 838771],
  ["IXP_E_SMTP_250_MAIL_ACTION_OKAY", 0x000ccc74, 838772],
  ["IXP_E_SMTP_251_FORWARDING_MAIL", 0x000ccc75, 838773],
  ["IXP_E_SMTP_354_START_MAIL_INPUT", 0x000ccc76, 838774],
  ["IXP_E_SMTP_CONTINUE", 0x000ccc77, 838775],
  ["IXP_E_SMTP_334_AUTH_READY_RESPONSE", 0x000ccc78, 838776],
  ["IXP_E_SMTP_245_AUTH_SUCCESS", 0x000ccc79, 838777],
  ["IXP_E_SMTP_REJECTED_SENDER", 0x800ccc78, -2146644872],
  ["IXP_E_SMTP_REJECTED_RECIPIENTS", 0x800ccc79, -2146644871],
  ["IXP_E_SMTP_NO_SENDER", 0x800ccc7a, -2146644870],
  ["IXP_E_SMTP_NO_RECIPIENTS", 0x800ccc7b, -2146644869],
  ["IXP_E_SMTP_530_STARTTLS_REQUIRED", 0x800ccc7c, -2146644868],
  ["IXP_E_SMTP_NO_STARTTLS_SUPPORT", 0x800ccc7d, -2146644867],
  ["IXP_E_SMTP_NO_DSN_SUPPORT", 0x800ccc7e, -2146644866],
  ["IXP_E_SMTP_454_STARTTLS_FAILED", 0x800ccc7f, -2146644865],
  ["IXP_S_SMTP_NO_DSN_SUPPORT", 0x000ccc7e, 838782],
];

const ENUM_TABLE: Record<string, Record<string, number>> = {
  SMTPCOMMAND: {
    SMTP_NONE: 0,
    SMTP_BANNER: 1,
    SMTP_CONNECTED: 2,
    SMTP_SEND_MESSAGE: 3,
    SMTP_AUTH: 4,
    SMTP_EHLO: 5,
    SMTP_HELO: 6,
    SMTP_MAIL: 7,
    SMTP_RCPT: 8,
    SMTP_RSET: 9,
    SMTP_QUIT: 10,
    SMTP_DATA: 11,
    SMTP_DOT: 12,
    SMTP_SEND_STREAM: 13,
    SMTP_CUSTOM: 14,
  },
  IXPSTATUS: {
    IXP_FINDINGHOST: 0,
    IXP_CONNECTING: 1,
    IXP_SECURING: 2,
    IXP_CONNECTED: 3,
    IXP_AUTHORIZING: 4,
    IXP_AUTHRETRY: 5,
    IXP_AUTHORIZED: 6,
    IXP_DISCONNECTING: 7,
    IXP_DISCONNECTED: 8,
    IXP_LAST: 9,
  },
  IXPTYPE: { IXP_NNTP: 0, IXP_SMTP: 1, IXP_POP3: 2, IXP_IMAP: 3, IXP_RAS: 4, IXP_HTTPMail: 5 },
  IXPISSTATE: { IXP_IS_CONNECTED: 0, IXP_IS_BUSY: 1, IXP_IS_READY: 2, IXP_IS_AUTHENTICATED: 3 },
  CMDTYPE: { CMD_SEND: 0, CMD_RESP: 1 },
  INETADDRTYPE: {
    ADDR_TO: 0,
    ADDR_FROM: 1,
    ADDR_DSN_NEVER: 16,
    ADDR_DSN_SUCCESS: 32,
    ADDR_DSN_FAILURE: 64,
    ADDR_DSN_DELAY: 128,
  },
  DSNRET: { DSNRET_DEFAULT: 0, DSNRET_HDRS: 1, DSNRET_FULL: 2 },
  RASCONNTYPE: { RAS_CONNECT_LAN: 0, RAS_CONNECT_MANUAL: 1, RAS_CONNECT_RAS: 2 },
  SMTPAUTHTYPE: {
    SMTP_AUTH_NONE: 0,
    SMTP_AUTH_SICILY: 1,
    SMTP_AUTH_USE_POP3ORIMAP_SETTINGS: 2,
    SMTP_AUTH_USE_SMTP_SETTINGS: 3,
  },
  STREAM_SEEK: { STREAM_SEEK_SET: 0, STREAM_SEEK_CUR: 1, STREAM_SEEK_END: 2 },
};

const GUID_TABLE: ReadonlyArray<readonly [string, string]> = [
  ["IID_IUnknown", "00000000-0000-0000-C000-000000000046"],
  ["CLSID_ISMTPTransport", "FD853CE6-7F86-11D0-8252-00C04FD85AB4"],
  ["CLSID_IPOP3Transport", "FD853CE7-7F86-11D0-8252-00C04FD85AB4"],
  ["CLSID_INNTPTransport", "FD853CE8-7F86-11D0-8252-00C04FD85AB4"],
  ["CLSID_IRASTransport", "FD853CE9-7F86-11D0-8252-00C04FD85AB4"],
  ["CLSID_IRangeList", "FD853CEA-7F86-11D0-8252-00C04FD85AB4"],
  ["CLSID_IIMAPTransport", "FD853CEB-7F86-11D0-8252-00C04FD85AB4"],
  ["CLSID_IInternetMessageUrl", "CA30CC91-B1B3-11D0-85D0-00C04FD85AB4"],
  ["CLSID_IHTTPMailTransport", "5A580C11-E5EB-11D1-A86E-0000F8084F96"],
  ["IID_ITransportCallbackService", "CA30F3FF-C9AC-11D1-9A3A-00C04FA309D4"],
  ["IID_ITransportCallback", "0DF2C7E1-3435-11D0-81D0-00C04FD85AB4"],
  ["IID_IInternetTransport", "1F636C01-364E-11D0-81D3-00C04FD85AB4"],
  ["IID_ISMTPCallback", "1F636C02-364E-11D0-81D3-00C04FD85AB4"],
  ["IID_ISMTPTransport", "0DF2C7E2-3435-11D0-81D0-00C04FD85AB4"],
  ["IID_ISMTPTransport2", "0DF2C7EC-3435-11D0-81D0-00C04FD85AB4"],
];

const CONSTANT_TABLE: ReadonlyArray<readonly [string, unknown]> = [
  ["DEFAULT_SMTP_PORT", 25],
  ["DEFAULT_POP3_PORT", 110],
  ["DEFAULT_IMAP_PORT", 143],
  ["DEFAULT_NNTP_PORT", 119],
  ["DEFAULT_SMTP_SSL_PORT", 465],
  ["CCHMAX_DOMAIN", 256],
  ["CCHMAX_PHONE_NUMBER", 128],
  ["CCHMAX_ORG_NAME", 256],
  ["CCHMAX_DISPLAY_NAME", 256],
  ["CCHMAX_ACCOUNT_NAME", 256],
  ["CCHMAX_SERVER_NAME", 256],
  ["CCHMAX_PASSWORD", 256],
  ["CCHMAX_USERNAME", 256],
  ["CCHMAX_EMAIL_ADDRESS", 256],
  ["CCHMAX_CONNECTOID", 256],
  ["CCHMAX_SEARCH_BASE", 256],
  ["CCHMAX_ROOT_FOLDER", 256],
  ["CCHMAX_SIGNATURE", 16],
  ["CCHMAX_SERVICE", 256],
  ["ADDR_TOFROM_MASK", 0x1],
  ["ADDR_DSN_MASK", 0xf0],
  ["iitAUTHENTICATE", true],
  ["iitDONT_AUTHENTICATE", false],
  ["iitENABLE_ONCOMMAND", true],
  ["iitDISABLE_ONCOMMAND", false],
  ["ISF_SMTP_USEIPFORHELO", 0x01],
  ["ISF_ALWAYSPROMPTFORPASSWORD", 0x02],
  ["ISF_SSLONSAMEPORT", 0x04],
  ["ISF_QUERYDSNSUPPORT", 0x08],
  ["ISF_QUERYAUTHSUPPORT", 0x10],
  ["TRUE", true],
  ["FALSE", false],
  ["FACILITY_INTERNET", 12],
  ["IDOK", 1],
  ["IDCANCEL", 2],
  ["IDABORT", 3],
  ["IDRETRY", 4],
  ["IDIGNORE", 5],
  ["IDYES", 6],
  ["IDNO", 7],
  ["MB_OK", 0],
  ["MB_YESNO", 4],
  ["MB_ICONEXCLAMATION", 0x30],
  ["STATFLAG_DEFAULT", 0],
  ["STATFLAG_NONAME", 1],
];

describe("HRESULT values", () => {
  it.each(HRESULT_TABLE)("%s", (name, unsigned, signed) => {
    expect(exported[name]).toBe(unsigned);
    expect((exported[name] as number) | 0).toBe(signed);
  });

  it("all are unsigned 32-bit integers", () => {
    for (const [name] of HRESULT_TABLE) {
      const value = exported[name] as number;
      expect(Number.isInteger(value), name).toBe(true);
      expect(value >>> 0, name).toBe(value);
    }
  });
});

describe("enum values", () => {
  it.each(Object.keys(ENUM_TABLE))("%s members and values", (enumName) => {
    expect(exported[enumName]).toEqual(ENUM_TABLE[enumName]);
  });

  it.each(Object.keys(ENUM_TABLE))("%s members are exported as bare constants", (enumName) => {
    const members = exported[enumName] as Record<string, number>;
    for (const [member, value] of Object.entries(members)) {
      expect(exported[member], member).toBe(value);
    }
  });
});

describe("GUIDs", () => {
  it.each(GUID_TABLE)("%s is %s", (name, value) => {
    expect(exported[name]).toBe(value);
  });

  it("CLSID_ISMTPTransport2 is not invented", () => {
    expect(exported.CLSID_ISMTPTransport2).toBeUndefined();
  });

  it("IsEqualGUID ignores case and braces", () => {
    const clsid = imnxport.CLSID_ISMTPTransport;
    expect(IsEqualGUID(clsid, clsid.toLowerCase())).toBe(true);
    expect(IsEqualGUID(clsid, `{${clsid}}`)).toBe(true);
    expect(IsEqualGUID(`{${clsid.toLowerCase()}}`, clsid)).toBe(true);
  });

  it("IsEqualGUID tells different GUIDs apart", () => {
    expect(IsEqualGUID(imnxport.IID_ISMTPTransport, imnxport.IID_ISMTPTransport2)).toBe(false);
    expect(IsEqualGUID(imnxport.CLSID_ISMTPTransport, imnxport.CLSID_IPOP3Transport)).toBe(false);
  });
});

describe("constants", () => {
  it.each(CONSTANT_TABLE)("%s is %s", (name, value) => {
    expect(exported[name]).toBe(value);
  });
});

describe("SUCCEEDED and FAILED", () => {
  const cases: ReadonlyArray<readonly [string, number, boolean]> = [
    ["0x000CCC79 (245 AUTH success)", 0x000ccc79, true],
    ["0x800CCC79 (rejected recipients)", 0x800ccc79, false],
    ["S_FALSE", S_FALSE, true],
    ["-2146644871 (signed 0x800CCC79)", -2146644871, false],
  ];

  it.each(cases)("%s", (_label, hr, succeeded) => {
    expect(SUCCEEDED(hr)).toBe(succeeded);
    expect(FAILED(hr)).toBe(!succeeded);
  });
});

describe("HRESULT fields", () => {
  it("split 0x800CCC79 in both forms", () => {
    for (const hr of [0x800ccc79, -2146644871]) {
      expect(HRESULT_SEVERITY(hr)).toBe(1);
      expect(HRESULT_FACILITY(hr)).toBe(FACILITY_INTERNET);
      expect(HRESULT_CODE(hr)).toBe(0xcc79);
    }
  });

  it("split 0x000CCC79", () => {
    expect(HRESULT_SEVERITY(0x000ccc79)).toBe(0);
    expect(HRESULT_FACILITY(0x000ccc79)).toBe(FACILITY_INTERNET);
    expect(HRESULT_CODE(0x000ccc79)).toBe(0xcc79);
  });
});

describe("HRESULT_NAMES", () => {
  it("maps each value to an export of that value", () => {
    for (const [value, name] of HRESULT_NAMES) {
      expect(exported[name], name).toBe(value);
    }
  });

  it("covers every HRESULT in the table", () => {
    for (const [name, unsigned] of HRESULT_TABLE) {
      expect(HRESULT_NAMES.has(unsigned), name).toBe(true);
    }
    expect(HRESULT_NAMES.size).toBe(new Set(HRESULT_TABLE.map(([, value]) => value)).size);
  });

  it("prefers S_OK and Microsoft's socket spelling", () => {
    expect(HRESULT_NAMES.get(0)).toBe("S_OK");
    expect(HRESULT_NAMES.get(0x800ccc14)).toBe("IXP_E_SOCKET_INIT_ERROR");
  });

  it("keeps same-code values of both severities apart", () => {
    expect(HRESULT_NAMES.get(0x000ccc78)).toBe("IXP_E_SMTP_334_AUTH_READY_RESPONSE");
    expect(HRESULT_NAMES.get(0x800ccc78)).toBe("IXP_E_SMTP_REJECTED_SENDER");
    expect(HRESULT_NAMES.get(0x000ccc79)).toBe("IXP_E_SMTP_245_AUTH_SUCCESS");
    expect(HRESULT_NAMES.get(0x800ccc79)).toBe("IXP_E_SMTP_REJECTED_RECIPIENTS");
  });
});
