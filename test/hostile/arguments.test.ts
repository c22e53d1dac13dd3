import { afterEach, describe, expect, it } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { ISF_QUERYDSNSUPPORT } from "../../src/imnxport/constants.js";
import { ADDR_FROM, ADDR_TO, DSNRET_DEFAULT, SMTP_CONNECTED } from "../../src/imnxport/enums.js";
import { E_INVALIDARG, IXP_E_INVALID_ADDRESS_LIST, S_OK } from "../../src/imnxport/hresults.js";
import type { ISMTPTransport2 } from "../../src/imnxport/interfaces.js";
import type { SMTPMESSAGE2 } from "../../src/imnxport/structs.js";
import { closeSessions, type OpenSession, openSession, turns } from "../support/open-session.js";
import { inetServer, smtpMessage } from "../support/scenario.js";
import { startScriptedServer } from "../support/scripted-server.js";
import { expectDisconnectedLast, terminalCallbacks } from "../support/session-checks.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

afterEach(closeSessions);

/** Runs `calls` on an idle session and asserts they wrote nothing and fired no callback. */
async function expectNothingWritten(
  session: OpenSession,
  calls: (transport: ISMTPTransport2) => number[],
): Promise<number[]> {
  const { connection, recorder, transport } = session;
  const bytesBefore = connection.received.length;
  const linesBefore = recorder.lines.length;
  const results = calls(transport);
  await turns();

  expect(connection.received.length).toBe(bytesBefore);
  expect(recorder.lines.slice(linesBefore)).toEqual([]);
  return results;
}

/** Sends a valid MAIL FROM and asserts its exact bytes, proving the session still works. */
async function expectStillUsable(session: OpenSession): Promise<void> {
  const before = session.connection.received.length;

  expect(session.transport.CommandMAIL("ok@example.com")).toBe(S_OK);
  await session.recorder.waitFor(/^R\{SMTP_MAIL, TRUE/);
  expect(session.connection.received.subarray(before).toString("latin1")).toBe(
    "MAIL FROM:<ok@example.com>\r\n",
  );
}

const LABEL = "a".repeat(63);

/** Addresses that must never reach the wire, each rejected before a byte is written. */
const REJECTED_ADDRESSES: Array<[name: string, address: string]> = [
  ["CRLF then RCPT", "a@example.com>\r\nRCPT TO:<victim@example.net"],
  ["bare LF then DATA", "b@example.com\nDATA"],
  ["bare CR then DATA", "b@example.com\rDATA"],
  ["NUL then RCPT", "a@example.com\0RCPT TO:<x@evil>"],
  ["CRLF inside quotes", '"evil\r\nRSET"@example.com'],
  ["comment in domain", "user@good-corp.com(x)evil.com"],
  ["display name", "Bob Smith <bob@example.com>"],
  ["65-octet local part", `${"l".repeat(65)}@example.com`],
  ["256-octet domain", `b@${LABEL}.${LABEL}.${LABEL}.${"a".repeat(64)}`],
  ["path over 256 octets", `${"b".repeat(64)}@${LABEL}.${LABEL}.${"a".repeat(62)}`],
  ["full 256-byte INETADDR", `${"b".repeat(64)}@${LABEL}.${LABEL}.${LABEL}`],
];

describe("injected envelope addresses", () => {
  for (const [name, address] of REJECTED_ADDRESSES) {
    it(`${name} writes nothing`, async () => {
      const session = await openSession();
      const results = await expectNothingWritten(session, (transport) => [
        transport.CommandMAIL(address),
        transport.CommandRCPT(address),
        transport.CommandRCPT2(address, 0),
      ]);
      const messageResults = await expectNothingWritten(session, (transport) => [
        transport.SendMessage(smtpMessage(address, ["b@example.org"], "x\r\n")),
        transport.SendMessage(smtpMessage("a@example.com", [address], "x\r\n")),
      ]);

      expect(results.map(nameOf)).toEqual([
        nameOf(E_INVALIDARG),
        nameOf(E_INVALIDARG),
        nameOf(E_INVALIDARG),
      ]);
      expect(messageResults.map(nameOf)).toEqual([
        nameOf(IXP_E_INVALID_ADDRESS_LIST),
        nameOf(IXP_E_INVALID_ADDRESS_LIST),
      ]);
      await expectStillUsable(session);
    });
  }

  it("path of 256 octets sent whole", async () => {
    const session = await openSession();
    const address = `${"b".repeat(64)}@${LABEL}.${LABEL}.${"a".repeat(61)}`;
    const before = session.connection.received.length;

    expect(session.transport.CommandRCPT(address)).toBe(S_OK);
    await session.recorder.waitFor(/^R\{SMTP_RCPT, TRUE/);
    expect(session.connection.received.subarray(before).toString("latin1")).toBe(
      `RCPT TO:<${address}>\r\n`,
    );
  });

  it("quoted local part stays bracketed", async () => {
    const session = await openSession();
    const address = '"foo@psres.net> ORCPT=admin@admin.com"@test.com';
    const before = session.connection.received.length;

    expect(session.transport.CommandRCPT(address)).toBe(S_OK);
    await session.recorder.waitFor(/^R\{SMTP_RCPT, TRUE/);
    const sent = session.connection.received.subarray(before).toString("latin1");

    expect(sent).toBe(`RCPT TO:<${address}>\r\n`);
    expect(sent).not.toContain("RCPT TO:<foo@psres.net> ORCPT=");
  });

  it("leading hyphen is plain SMTP", async () => {
    const session = await openSession();
    const before = session.connection.received.length;

    expect(session.transport.CommandRCPT("-bi@example.com")).toBe(S_OK);
    await session.recorder.waitFor(/^R\{SMTP_RCPT, TRUE/);
    expect(session.connection.received.subarray(before).toString("latin1")).toBe(
      "RCPT TO:<-bi@example.com>\r\n",
    );
  });
});

describe("injected EHLO name", () => {
  it("clientName with CRLF throws", () => {
    expect(() =>
      createSMTPTransport({ clientName: "client.example\r\nMAIL FROM:<x@evil>" }),
    ).toThrow(TypeError);
  });

  it("default HELO name is a domain or literal", async () => {
    const server = await startScriptedServer();
    try {
      const transport = createSMTPTransport();
      const recorder = new TraceRecorder(transport);
      transport.InitNew(null, recorder);
      transport.Connect(inetServer(server.port), false, false);
      await recorder.waitFor(/^R\{SMTP_CONNECTED, TRUE/);
      transport.DropConnection();
      const connection = await server.waitForClose();

      expect(connection.received.toString("latin1")).toMatch(
        /^HELO (?:\[127\.0\.0\.1\]|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\r\n$/,
      );
    } finally {
      await server.close();
    }
  });
});

/** Builds a SendMessage2 request from a@example.com to b@example.org with the given ENVID. */
function withEnvid(envid: string): SMTPMESSAGE2 {
  const base = smtpMessage("a@example.com", ["b@example.org"], "x\r\n");
  const addresses = [
    { addrtype: ADDR_FROM, szEmail: "a@example.com" },
    { addrtype: ADDR_TO, szEmail: "b@example.org" },
  ];
  return {
    smtpMsg: { ...base, rAddressList: { cAddress: 2, prgAddress: addresses } },
    pszDSNENVID: envid,
    dsnRet: DSNRET_DEFAULT,
    dwReserved: 0,
    dwReserved2: 0,
  };
}

describe("injected ESMTP parameters", () => {
  const dsnServer = {
    server: { ehloCapabilities: ["mail.test", "DSN"] },
    serverFields: { dwFlags: ISF_QUERYDSNSUPPORT },
  };

  it("ENVID with CR writes nothing", async () => {
    const session = await openSession(dsnServer);
    const results = await expectNothingWritten(session, (transport) => [
      transport.SendMessage2(withEnvid("id\r\nRCPT TO:<attacker@evil>")),
      transport.SendMessage2(withEnvid("id\nx")),
    ]);

    expect(results.map(nameOf)).toEqual([nameOf(E_INVALIDARG), nameOf(E_INVALIDARG)]);
    await expectStillUsable(session);
  });

  it("ENVID plus, equals and space are xtext", async () => {
    const session = await openSession(dsnServer);
    const before = session.connection.received.length;

    expect(session.transport.SendMessage2(withEnvid("a+b=c d"))).toBe(S_OK);
    await session.recorder.waitFor(/^R\{SMTP_MAIL, TRUE/);
    const sent = session.connection.received.subarray(before).toString("latin1");

    expect(sent.startsWith("MAIL FROM:<a@example.com> ENVID=a+2Bb+3Dc+20d\r\n")).toBe(true);
  });
});

describe("injected AUTH arguments", () => {
  it("AUTH mechanism with CRLF writes nothing", async () => {
    const session = await openSession();
    const results = await expectNothingWritten(session, (transport) => [
      transport.CommandAUTH("PLAIN\r\nMAIL FROM:<x@evil>"),
      transport.CommandAUTH("LOGIN X"),
    ]);

    expect(results.map(nameOf)).toEqual([nameOf(E_INVALIDARG), nameOf(E_INVALIDARG)]);
    await expectStillUsable(session);
  });

  it("user name with NUL never sent", async () => {
    const server = await startScriptedServer({ ehloCapabilities: ["mail.test", "AUTH PLAIN"] });
    try {
      const transport = createSMTPTransport({ clientName: "client.example.org" });
      const recorder = new TraceRecorder(transport);
      recorder.onResponse = (response) => {
        if (response.fDone && response.command === SMTP_CONNECTED) {
          transport.CommandQUIT();
        }
      };
      transport.InitNew(null, recorder);
      const account = inetServer(server.port, { szUserName: "alice\0admin", szPassword: "pw" });

      expect(transport.Connect(account, true, true)).toBe(S_OK);
      await recorder.disconnected();
      const connection = await server.waitForClose();

      expect(connection.commands[0]).toBe("EHLO client.example.org");
      expect(connection.commands.filter((command) => command.startsWith("AUTH"))).toEqual([]);
      expect(connection.received.includes(Buffer.from("alice"))).toBe(false);
      expect(terminalCallbacks(recorder, SMTP_CONNECTED)).toBe(1);
      expectDisconnectedLast(recorder);
    } finally {
      await server.close();
    }
  });
});
