import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerEnvelope } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { ISF_QUERYDSNSUPPORT } from "../../src/imnxport/constants.js";
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
  SMTP_CONNECTED,
  SMTP_SEND_MESSAGE,
} from "../../src/imnxport/enums.js";
import {
  E_INVALIDARG,
  IXP_E_SMTP_REJECTED_RECIPIENTS,
  IXP_S_SMTP_NO_DSN_SUPPORT,
  S_OK,
} from "../../src/imnxport/hresults.js";
import type { SMTPMESSAGE, SMTPMESSAGE2 } from "../../src/imnxport/structs.js";
import { expectScenario, inetServer, runScenario, smtpMessage } from "../support/scenario.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

/** Build a message from a@x.test to each [address, DSN bits] pair, with ENVID and RET. */
function message2(
  recipients: readonly [string, number][],
  pszDSNENVID: string | null,
  dsnRet: number,
): SMTPMESSAGE2 {
  const base = smtpMessage("a@x.test", [], "Subject: dsn\r\n\r\nBody\r\n");
  const addresses = [
    { addrtype: ADDR_FROM, szEmail: "a@x.test" },
    ...recipients.map(([email, bits]) => ({ addrtype: ADDR_TO | bits, szEmail: email })),
  ];
  return {
    smtpMsg: { ...base, rAddressList: { cAddress: addresses.length, prgAddress: addresses } },
    pszDSNENVID,
    dsnRet: dsnRet as SMTPMESSAGE2["dsnRet"],
    dwReserved: 0,
    dwReserved2: 0,
  };
}

const DSN_RECIPIENTS: [string, number][] = [
  ["b@y.test", ADDR_DSN_SUCCESS | ADDR_DSN_FAILURE | ADDR_DSN_DELAY],
  ["c@y.test", ADDR_DSN_NEVER],
  ["d@y.test", 0],
  ["e@y.test", ADDR_DSN_FAILURE],
];

/** Scenario options that send `message` with SendMessage2 from inside SMTP_CONNECTED, then QUIT. */
function sendMessage2Options(message: SMTPMESSAGE2 | SMTPMESSAGE, ehloCapabilities: string[]) {
  return {
    server: { ehloCapabilities },
    serverFields: { dwFlags: ISF_QUERYDSNSUPPORT },
    message: null,
    setup(recorder: TraceRecorder, transport: ReturnType<typeof createSMTPTransport>) {
      recorder.onResponse = (response) => {
        if (response.fDone && response.command === SMTP_CONNECTED) {
          if ("smtpMsg" in message) {
            recorder.call("SendMessage2(message)", () => transport.SendMessage2(message));
          } else {
            recorder.call("SendMessage(message)", () => transport.SendMessage(message));
          }
        }
        if (response.command === SMTP_SEND_MESSAGE) {
          recorder.call("CommandQUIT()", () => transport.CommandQUIT());
        }
      };
    },
  };
}

function sendResult(recorder: TraceRecorder): string {
  const result = recorder.responses.find((response) => response.command === SMTP_SEND_MESSAGE);
  return nameOf(result?.rIxpResult.hrResult ?? -1);
}

describe("SendMessage2 on the wire", () => {
  it("server with DSN gets ENVID, RET and NOTIFY", async () => {
    const message = message2(DSN_RECIPIENTS, "id 1+2=3", DSNRET_HDRS);

    const run = await runScenario(sendMessage2Options(message, ["mail.test", "DSN", "8BITMIME"]));

    expect(sendResult(run.recorder)).toBe(nameOf(S_OK));
    expect(run.connection?.commands.slice(1, 6)).toEqual([
      "MAIL FROM:<a@x.test> ENVID=id+201+2B2+3D3 RET=HDRS",
      "RCPT TO:<b@y.test> NOTIFY=SUCCESS,FAILURE,DELAY",
      "RCPT TO:<c@y.test> NOTIFY=NEVER",
      "RCPT TO:<d@y.test>",
      "RCPT TO:<e@y.test> NOTIFY=FAILURE",
    ]);
  });

  it("server without DSN golden", async () => {
    const message = message2(DSN_RECIPIENTS, "envelope-7", DSNRET_FULL);

    const run = await expectScenario(
      "message2-no-dsn",
      "SendMessage2 asks for DSN, the EHLO reply lacks DSN: sent without DSN parameters, 0x000CCC7E",
      sendMessage2Options(message, ["mail.test", "PIPELINING"]),
    );

    expect(sendResult(run.recorder)).toBe(nameOf(IXP_S_SMTP_NO_DSN_SUPPORT));
    for (const command of run.connection?.commands ?? []) {
      expect(command).not.toMatch(/ENVID=|RET=|NOTIFY=/);
    }
  });

  it("HELO session drops DSN", async () => {
    const message = message2([["b@y.test", ADDR_DSN_SUCCESS]], null, DSNRET_DEFAULT);
    const options = { ...sendMessage2Options(message, ["mail.test", "DSN"]), serverFields: {} };

    const run = await runScenario(options);

    expect(run.connection?.commands[0]).toMatch(/^HELO /);
    expect(run.connection?.commands).toContain("RCPT TO:<b@y.test>");
    expect(sendResult(run.recorder)).toBe(nameOf(IXP_S_SMTP_NO_DSN_SUPPORT));
  });

  it("no DSN request gives S_OK", async () => {
    const message = message2([["b@y.test", 0]], null, DSNRET_DEFAULT);

    const run = await runScenario(sendMessage2Options(message, ["mail.test"]));

    expect(run.connection?.commands.slice(1, 3)).toEqual([
      "MAIL FROM:<a@x.test>",
      "RCPT TO:<b@y.test>",
    ]);
    expect(sendResult(run.recorder)).toBe(nameOf(S_OK));
  });

  it("rejection keeps its own result", async () => {
    const message = message2([["b@y.test", ADDR_DSN_FAILURE]], "x", DSNRET_DEFAULT);
    const options = sendMessage2Options(message, ["mail.test"]);

    const run = await runScenario({
      ...options,
      server: { ...options.server, replies: { RCPT: "550 5.1.1 No such user\r\n" } },
    });

    expect(sendResult(run.recorder)).toBe(nameOf(IXP_E_SMTP_REJECTED_RECIPIENTS));
  });

  it("plain SendMessage never sends DSN", async () => {
    const { smtpMsg } = message2(DSN_RECIPIENTS, "id", DSNRET_FULL);

    const run = await runScenario(sendMessage2Options(smtpMsg, ["mail.test", "DSN"]));

    expect(sendResult(run.recorder)).toBe(nameOf(S_OK));
    for (const command of run.connection?.commands ?? []) {
      expect(command).not.toMatch(/ENVID=|RET=|NOTIFY=/);
    }
  });
});

describe("SendMessage2 argument checks", () => {
  const transport = createSMTPTransport();

  it.each([
    ["empty ENVID", ""],
    ["ENVID with CR", "a\rb"],
    ["ENVID with LF", "a\nb"],
    ["non-ASCII ENVID", "caf\u00e9"],
    ["101-character ENVID", "x".repeat(101)],
  ])("%s returns E_INVALIDARG", (_name, envid) => {
    const hr = transport.SendMessage2(message2([["b@y.test", 0]], envid, DSNRET_DEFAULT));

    expect(nameOf(hr)).toBe(nameOf(E_INVALIDARG));
  });

  it("unknown dsnRet returns E_INVALIDARG", () => {
    const hr = transport.SendMessage2(message2([["b@y.test", 0]], null, 3));

    expect(nameOf(hr)).toBe(nameOf(E_INVALIDARG));
  });

  it("missing message returns E_INVALIDARG", () => {
    const missing = null as unknown as SMTPMESSAGE2;
    const noInner = { ...message2([], null, 0), smtpMsg: null as unknown as SMTPMESSAGE };

    expect(nameOf(transport.SendMessage2(missing))).toBe(nameOf(E_INVALIDARG));
    expect(nameOf(transport.SendMessage2(noInner))).toBe(nameOf(E_INVALIDARG));
  });
});

describe("SendMessage2 to smtp-server", () => {
  let server: SMTPServer | null = null;

  afterEach(async () => {
    const closing = server;
    server = null;
    await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
  });

  /** Start smtp-server with DSN on (hideDSN: false); each envelope is stored when DATA ends. */
  async function startDsnServer(envelopes: SMTPServerEnvelope[]): Promise<number> {
    const started = new SMTPServer({
      authOptional: true,
      disabledCommands: ["AUTH", "STARTTLS"],
      disableReverseLookup: true,
      logger: false,
      hideDSN: false,
      onData(stream, session, callback) {
        stream.resume();
        stream.on("end", () => {
          envelopes.push(structuredClone(session.envelope));
          callback();
        });
      },
    });
    server = started;
    await new Promise<void>((resolve) => started.listen(0, "127.0.0.1", resolve));
    return (started.server.address() as AddressInfo).port;
  }

  it("parses ENVID, RET and NOTIFY", async () => {
    const envelopes: SMTPServerEnvelope[] = [];
    const port = await startDsnServer(envelopes);
    const transport = createSMTPTransport({ clientName: "client.example.org" });
    const recorder = new TraceRecorder(transport);
    const message = message2(DSN_RECIPIENTS, "id 1+2=3", DSNRET_FULL);
    recorder.onResponse = (response) => {
      if (response.fDone && response.command === SMTP_CONNECTED) {
        expect(transport.SendMessage2(message)).toBe(S_OK);
      }
      if (response.command === SMTP_SEND_MESSAGE) {
        transport.CommandQUIT();
      }
    };

    transport.InitNew(null, recorder);
    transport.Connect(inetServer(port, { dwFlags: ISF_QUERYDSNSUPPORT }), false, false);
    await recorder.disconnected();

    expect(recorder.errors).toEqual([]);
    expect(sendResult(recorder)).toBe(nameOf(S_OK));
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]?.dsn).toEqual({ ret: "FULL", envid: "id 1+2=3" });
    const notify = envelopes[0]?.rcptTo.map((recipient) => [
      recipient.address,
      recipient.dsn?.notify ?? null,
    ]);
    expect(notify).toEqual([
      ["b@y.test", ["SUCCESS", "FAILURE", "DELAY"]],
      ["c@y.test", ["NEVER"]],
      ["d@y.test", null],
      ["e@y.test", ["FAILURE"]],
    ]);
  });
});
