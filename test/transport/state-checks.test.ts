import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import {
  ADDR_FROM,
  ADDR_TO,
  DSNRET_DEFAULT,
  IXP_CONNECTED,
  IXP_DISCONNECTED,
  IXP_IS_AUTHENTICATED,
  IXP_IS_BUSY,
  IXP_IS_CONNECTED,
  IXP_IS_READY,
  IXP_SMTP,
  type IXPSTATUS,
  SMTP_SEND_STREAM,
} from "../../src/imnxport/enums.js";
import {
  E_INVALIDARG,
  IXP_E_ALREADY_CONNECTED,
  IXP_E_BUSY,
  IXP_E_CANT_FIND_HOST,
  IXP_E_INVALID_ADDRESS_LIST,
  IXP_E_INVALID_STATE,
  IXP_E_NOT_CONNECTED,
  IXP_E_NOT_INIT,
  IXP_E_SMTP_NO_RECIPIENTS,
  IXP_E_SMTP_NO_SENDER,
  S_FALSE,
  S_OK,
} from "../../src/imnxport/hresults.js";
import type { ISMTPTransport2 } from "../../src/imnxport/interfaces.js";
import type { INETSERVER, SMTPMESSAGE } from "../../src/imnxport/structs.js";
import { expectGolden } from "../support/golden.js";
import { closeSessions, openSession, turns } from "../support/open-session.js";
import { inetServer, runScenario, smtpMessage } from "../support/scenario.js";
import { refusedPort } from "../support/scripted-server.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

afterEach(closeSessions);

/** IDL names of HRESULTs, so a failing assertion shows IXP_E_BUSY rather than 2148322315. */
function names(results: readonly number[]): string[] {
  return results.map(nameOf);
}

/** IsState for IXP_IS_CONNECTED, IXP_IS_BUSY, IXP_IS_READY and IXP_IS_AUTHENTICATED, in that order. */
function states(transport: ISMTPTransport2): string[] {
  return names(
    [IXP_IS_CONNECTED, IXP_IS_BUSY, IXP_IS_READY, IXP_IS_AUTHENTICATED].map((state) =>
      transport.IsState(state),
    ),
  );
}

const BAD_ADDRESSES = [
  "a@x>\r\nRCPT TO:<v@y",
  "Bob <b@y.test>",
  `${"l".repeat(65)}@y.test`,
  "a@x\0y",
  "a b@y.test",
];

describe("argument checks", () => {
  it("Connect rejects bad servers", () => {
    const transport = createSMTPTransport();
    transport.InitNew(null, new TraceRecorder(transport));

    expect(nameOf(transport.Connect(null as unknown as INETSERVER, false, false))).toBe(
      nameOf(E_INVALIDARG),
    );
    expect(nameOf(transport.Connect(inetServer(25, { szServerName: "" }), false, false))).toBe(
      nameOf(E_INVALIDARG),
    );
  });

  it("E_INVALIDARG precedes IXP_E_NOT_INIT", () => {
    const transport = createSMTPTransport();

    expect(nameOf(transport.Connect(inetServer(25, { szServerName: "" }), false, false))).toBe(
      nameOf(E_INVALIDARG),
    );
    expect(nameOf(transport.CommandMAIL("Bob <b@y.test>"))).toBe(nameOf(E_INVALIDARG));
    expect(nameOf(transport.SendMessage(null as unknown as SMTPMESSAGE))).toBe(
      nameOf(E_INVALIDARG),
    );
  });

  it("bad addresses write nothing", async () => {
    const session = await openSession();
    const { transport, connection } = session;
    const before = connection.received.length;
    const results: number[] = [];
    for (const address of BAD_ADDRESSES) {
      results.push(
        transport.CommandMAIL(address),
        transport.CommandRCPT(address),
        transport.CommandRCPT2(address, 0),
      );
    }
    results.push(transport.CommandRCPT(""), transport.CommandRCPT("<>"));
    const messageResults = BAD_ADDRESSES.map((address) =>
      transport.SendMessage(smtpMessage("a@x.test", [address], "x")),
    );
    const badSenderResults = BAD_ADDRESSES.map((address) =>
      transport.SendMessage(smtpMessage(address, ["b@y.test"], "x")),
    );
    await turns();

    expect(names(results)).toEqual(results.map(() => nameOf(E_INVALIDARG)));
    expect(names(messageResults)).toEqual(
      messageResults.map(() => nameOf(IXP_E_INVALID_ADDRESS_LIST)),
    );
    expect(names(badSenderResults)).toEqual(
      badSenderResults.map(() => nameOf(IXP_E_INVALID_ADDRESS_LIST)),
    );
    expect(connection.received.length).toBe(before);

    expect(transport.CommandMAIL("a@x.test")).toBe(S_OK);
    await session.recorder.waitFor(/^R\{SMTP_MAIL, TRUE/);
    expect(connection.commands.at(-1)).toBe("MAIL FROM:<a@x.test>");
  });

  it("empty sender is the null path", async () => {
    const session = await openSession();

    expect(session.transport.CommandMAIL("<>")).toBe(S_OK);
    await session.recorder.waitFor(/^R\{SMTP_MAIL, TRUE/);
    expect(session.connection.commands.at(-1)).toBe("MAIL FROM:<>");
  });

  it("envelope without sender or recipients", async () => {
    const { transport } = await openSession();
    const stream = smtpMessage("a@x.test", ["b@y.test"], "x").pstmMsg;
    const noSender: SMTPMESSAGE = {
      cbSize: 0,
      pstmMsg: stream,
      rAddressList: { cAddress: 1, prgAddress: [{ addrtype: ADDR_TO, szEmail: "b@y.test" }] },
    };
    const noRecipient: SMTPMESSAGE = {
      cbSize: 0,
      pstmMsg: stream,
      rAddressList: { cAddress: 1, prgAddress: [{ addrtype: ADDR_FROM, szEmail: "a@x.test" }] },
    };
    const badBeforeMissing: SMTPMESSAGE = {
      cbSize: 0,
      pstmMsg: stream,
      rAddressList: { cAddress: 1, prgAddress: [{ addrtype: ADDR_TO, szEmail: "Bob <b@y.test>" }] },
    };

    expect(nameOf(transport.SendMessage(noSender))).toBe(nameOf(IXP_E_SMTP_NO_SENDER));
    expect(nameOf(transport.SendMessage(noRecipient))).toBe(nameOf(IXP_E_SMTP_NO_RECIPIENTS));
    expect(nameOf(transport.SendMessage(badBeforeMissing))).toBe(
      nameOf(IXP_E_INVALID_ADDRESS_LIST),
    );
  });

  it("CommandAUTH and SendMessage2 before Connect", async () => {
    const transport = createSMTPTransport();
    const recorder = new TraceRecorder(transport);
    transport.InitNew(null, recorder);

    expect(nameOf(transport.CommandAUTH("LOGIN"))).toBe(nameOf(IXP_E_NOT_CONNECTED));
    expect(nameOf(transport.CommandAUTH("LOGIN\r\nMAIL FROM:<x@evil>"))).toBe(nameOf(E_INVALIDARG));
    expect(nameOf(transport.CommandAUTH("login"))).toBe(nameOf(E_INVALIDARG));
    const message2 = {
      smtpMsg: smtpMessage("a@x.test", ["b@y.test"], "x"),
      pszDSNENVID: null,
      dsnRet: DSNRET_DEFAULT,
      dwReserved: 0,
      dwReserved2: 0,
    };
    expect(nameOf(transport.SendMessage2(message2))).toBe(nameOf(IXP_E_NOT_CONNECTED));
    expect(recorder.lines).toEqual([]);
  });
});

describe("state order", () => {
  it("IXP_E_NOT_INIT before InitNew", () => {
    const transport = createSMTPTransport();

    expect(
      names([
        transport.Connect(inetServer(25), false, false),
        transport.CommandMAIL("a@x.test"),
        transport.CommandQUIT(),
        transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "x")),
        transport.Disconnect(),
        transport.DropConnection(),
      ]),
    ).toEqual(
      names([
        IXP_E_NOT_INIT,
        IXP_E_NOT_INIT,
        IXP_E_NOT_INIT,
        IXP_E_NOT_INIT,
        IXP_E_NOT_INIT,
        IXP_E_NOT_INIT,
      ]),
    );
  });

  it("InitNew requires a callback", () => {
    const transport = createSMTPTransport();

    expect(nameOf(transport.InitNew(null, null as unknown as TraceRecorder))).toBe(
      nameOf(E_INVALIDARG),
    );
  });

  it("IXP_E_NOT_CONNECTED before and during Connect", async () => {
    const transport = createSMTPTransport();
    const recorder = new TraceRecorder(transport);
    transport.InitNew(null, recorder);
    const before = [
      transport.CommandMAIL("a@x.test"),
      transport.CommandDOT(),
      transport.Disconnect(),
    ];
    const port = await refusedPort();
    transport.Connect(inetServer(port), false, false);
    const during = [
      transport.CommandMAIL("a@x.test"),
      transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "x")),
    ];
    const again = transport.Connect(inetServer(port), false, false);
    await recorder.disconnected();

    expect(names(before)).toEqual(
      names([IXP_E_NOT_CONNECTED, IXP_E_NOT_CONNECTED, IXP_E_NOT_CONNECTED]),
    );
    expect(names(during)).toEqual(names([IXP_E_NOT_CONNECTED, IXP_E_NOT_CONNECTED]));
    expect(nameOf(again)).toBe(nameOf(IXP_E_ALREADY_CONNECTED));
  });

  it("IXP_E_ALREADY_CONNECTED when connected", async () => {
    const { transport, recorder, server } = await openSession();

    expect(nameOf(transport.Connect(inetServer(server.port), false, false))).toBe(
      nameOf(IXP_E_ALREADY_CONNECTED),
    );
    expect(nameOf(transport.InitNew(null, recorder))).toBe(nameOf(IXP_E_ALREADY_CONNECTED));
  });

  it("IXP_E_BUSY while reply awaited", async () => {
    const { transport, recorder } = await openSession({
      server: { replies: { MAIL: { write: "250 2.1.0 Ok\r\n", delayMs: 20 } } },
    });
    transport.CommandMAIL("a@x.test");
    const busy = [
      transport.CommandRCPT("b@y.test"),
      transport.CommandMAIL("a@x.test"),
      transport.CommandQUIT(),
      transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "x")),
    ];
    const busyState = states(transport);
    await recorder.waitFor(/^R\{SMTP_MAIL, TRUE/);

    expect(names(busy)).toEqual(names([IXP_E_BUSY, IXP_E_BUSY, IXP_E_BUSY, IXP_E_BUSY]));
    expect(busyState).toEqual(names([S_OK, S_OK, S_FALSE, S_FALSE]));
    expect(states(transport)).toEqual(names([S_OK, S_FALSE, S_OK, S_FALSE]));
  });

  it("IXP_E_BUSY during SendMessage", async () => {
    const { transport, recorder } = await openSession();
    transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "x"));
    await recorder.waitFor(/^R\{SMTP_RCPT, TRUE/);
    const busy = [
      transport.CommandRSET(),
      transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "x")),
    ];
    const busyState = transport.IsState(IXP_IS_BUSY);
    await recorder.waitFor(/^R\{SMTP_SEND_MESSAGE/);

    expect(names(busy)).toEqual(names([IXP_E_BUSY, IXP_E_BUSY]));
    expect(nameOf(busyState)).toBe(nameOf(S_OK));
    expect(nameOf(transport.IsState(IXP_IS_BUSY))).toBe(nameOf(S_FALSE));
  });

  it("data mode admits only body calls", async () => {
    const { transport, recorder, connection } = await openSession();
    const outside = transport.CommandDOT();
    transport.CommandDATA();
    await recorder.waitFor(/^R\{SMTP_DATA, TRUE/);
    const inside = [
      transport.CommandMAIL("a@x.test"),
      transport.CommandRSET(),
      transport.CommandQUIT(),
    ];
    const dot = transport.CommandDOT();
    await recorder.waitFor(/^R\{SMTP_DOT, TRUE/);

    expect(nameOf(outside)).toBe(nameOf(IXP_E_INVALID_STATE));
    expect(names(inside)).toEqual(names([IXP_E_BUSY, IXP_E_BUSY, IXP_E_BUSY]));
    expect(nameOf(dot)).toBe(nameOf(S_OK));
    expect(connection.commands).toEqual(["HELO client.example.org", "DATA"]);
    expect(connection.bodies).toEqual([Buffer.alloc(0)]);
  });
});

describe("queries", () => {
  it("IsState across the session", async () => {
    const transport = createSMTPTransport();
    const recorder = new TraceRecorder(transport);
    const seen: Record<string, string[]> = {};
    recorder.onStatus = (status) => {
      if (status === IXP_CONNECTED && seen.connecting === undefined) {
        seen.connecting = states(transport);
      }
      if (status === IXP_DISCONNECTED) {
        seen.disconnected = states(transport);
      }
    };
    transport.InitNew(null, recorder);
    seen.initial = states(transport);
    const { server } = await openSession();
    transport.Connect(inetServer(server.port), false, false);
    await recorder.waitFor(/^R\{SMTP_CONNECTED/);
    seen.ready = states(transport);
    transport.CommandQUIT();
    seen.quitting = states(transport);
    await recorder.disconnected();

    expect(seen).toEqual({
      initial: names([S_FALSE, S_FALSE, S_FALSE, S_FALSE]),
      connecting: names([S_OK, S_OK, S_FALSE, S_FALSE]),
      ready: names([S_OK, S_FALSE, S_OK, S_FALSE]),
      quitting: names([S_OK, S_OK, S_FALSE, S_FALSE]),
      disconnected: names([S_FALSE, S_FALSE, S_FALSE, S_FALSE]),
    });
    expect(nameOf(transport.IsState(99 as never))).toBe(nameOf(E_INVALIDARG));
  });

  it("GetStatus returns last status", async () => {
    const transport = createSMTPTransport();
    const box: { value: IXPSTATUS } = { value: IXP_CONNECTED };
    transport.GetStatus(box);
    const initial = box.value;
    const recorder = new TraceRecorder(transport);
    transport.InitNew(null, recorder);
    const { server } = await openSession();
    transport.Connect(inetServer(server.port), false, false);
    await recorder.waitFor(/^R\{SMTP_CONNECTED/);

    box.value = IXP_DISCONNECTED;

    expect(initial).toBe(IXP_DISCONNECTED);
    expect(transport.GetStatus(box)).toBe(S_OK);
    expect(box.value).toBe(IXP_CONNECTED);
  });

  it("GetServerInfo copies without password", async () => {
    const { transport, server } = await openSession({
      serverFields: { szUserName: "user", szPassword: "secret" },
    });
    const info = inetServer(0);
    const result = transport.GetServerInfo(info);
    info.szServerName = "changed";
    const again = inetServer(0);
    transport.GetServerInfo(again);

    expect(result).toBe(S_OK);
    expect(info.szPassword).toBe("");
    expect(info.szUserName).toBe("user");
    expect(info.dwPort).toBe(server.port);
    expect(again.szServerName).toBe("127.0.0.1");
    expect(transport.GetIXPType()).toBe(IXP_SMTP);
  });
});

describe("ending the session", () => {
  it("Disconnect when idle sends QUIT", async () => {
    const { transport, recorder, connection } = await openSession();
    const before = recorder.lines.length;
    recorder.call("Disconnect()", () => transport.Disconnect());
    await recorder.disconnected();

    expect(recorder.lines.slice(before)).toEqual([
      "Disconnect() → S_OK",
      "  status IXP_DISCONNECTING (sync)",
      '  send "QUIT\\r\\n" (sync)',
      'resp "221 2.0.0 Bye" 0x000CCC73',
      'R{SMTP_QUIT, TRUE, 0x000CCC73, 221, "221 2.0.0 Bye"}',
      "status IXP_DISCONNECTED",
    ]);
    expect(connection.commands.at(-1)).toBe("QUIT");
  });

  it("Disconnect when busy drops", async () => {
    const { transport, recorder, connection } = await openSession({
      server: { replies: { MAIL: null } },
    });
    transport.CommandMAIL("a@x.test");
    const before = recorder.lines.length;
    recorder.call("Disconnect()", () => transport.Disconnect());
    await turns();

    expect(recorder.lines.slice(before)).toEqual([
      "Disconnect() → S_OK",
      "  status IXP_DISCONNECTED (sync)",
    ]);
    expect(connection.commands).not.toContain("QUIT");
    expect(nameOf(transport.DropConnection())).toBe(nameOf(S_OK));
    expect(recorder.lines).toHaveLength(before + 2);
    expect(nameOf(transport.Disconnect())).toBe(nameOf(IXP_E_NOT_CONNECTED));
  });

  it("DropConnection mid-message", async () => {
    const run = await runScenario({
      message: smtpMessage("a@x.test", ["b@y.test"], "y".repeat(512 * 1024)),
      setup(recorder, transport) {
        const scenario = recorder.onResponse;
        recorder.onResponse = (response) => {
          if (response.command === SMTP_SEND_STREAM) {
            recorder.call("DropConnection()", () => transport.DropConnection());
            return;
          }
          scenario?.(response);
        };
      },
    });
    const dropAt = run.recorder.lines.indexOf("DropConnection() → S_OK");

    expect(dropAt).toBeGreaterThan(0);
    expect(run.recorder.lines.slice(dropAt)).toEqual([
      "DropConnection() → S_OK",
      "  status IXP_DISCONNECTED (sync)",
    ]);
    expect(run.recorder.errors).toHaveLength(0);
    expect(run.connection?.bodies).toHaveLength(0);
    expect(run.connection?.transcript).not.toContain("C: .");
  });

  it("HandsOffCallback silences callbacks", async () => {
    const { transport, recorder, connection } = await openSession();
    const before = recorder.lines.length;
    const first = transport.HandsOffCallback();
    const second = transport.HandsOffCallback();
    await connection.push({ write: "421 4.3.2 Bye\r\n", after: "close" });
    for (
      let attempt = 0;
      attempt < 100 && transport.IsState(IXP_IS_CONNECTED) === S_OK;
      attempt += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const box: { value: IXPSTATUS } = { value: IXP_CONNECTED };
    transport.GetStatus(box);

    expect(first).toBe(S_OK);
    expect(second).toBe(S_FALSE);
    expect(recorder.lines).toHaveLength(before);
    expect(nameOf(transport.IsState(IXP_IS_CONNECTED))).toBe(nameOf(S_FALSE));
    expect(box.value).toBe(IXP_DISCONNECTED);
  });

  it("reconnect on same transport", async () => {
    const { transport, recorder, server } = await openSession();
    transport.CommandQUIT();
    await recorder.disconnected();
    const again = transport.Connect(inetServer(server.port), false, true);
    await recorder.waitFor(/^R\{SMTP_CONNECTED[^\n]*$/);
    while (recorder.lines.filter((line) => line.startsWith("R{SMTP_CONNECTED")).length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    transport.CommandMAIL("a@x.test");
    await recorder.waitFor(/^R\{SMTP_MAIL, TRUE/);

    expect(again).toBe(S_OK);
    expect(server.connections).toHaveLength(2);
    expect(server.connections[1]?.commands).toEqual([
      "HELO client.example.org",
      "MAIL FROM:<a@x.test>",
    ]);
  });
});

describe("name resolution and addresses", () => {
  it("DNS failure reports IXP_E_CANT_FIND_HOST", async () => {
    const transport = createSMTPTransport({
      network: {
        resolve: () =>
          Promise.reject(
            Object.assign(new Error("getaddrinfo ENOTFOUND mail.invalid"), { code: "ENOTFOUND" }),
          ),
      },
    });
    const recorder = new TraceRecorder(transport);
    transport.InitNew(null, recorder);
    recorder.call("Connect(server, FALSE, TRUE)", () =>
      transport.Connect(inetServer(25, { szServerName: "mail.invalid" }), false, true),
    );
    await recorder.disconnected();
    const error = recorder.errors[0];

    expect(recorder.lines).toEqual([
      "Connect(server, FALSE, TRUE) → S_OK",
      "  status IXP_FINDINGHOST (sync)",
      "error{IXP_FINDINGHOST, 0x800CCC0D, socket 11001}",
      "status IXP_DISCONNECTED",
    ]);
    expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_CANT_FIND_HOST));
    expect(error?.dwSocketError).toBe(11001);
  });

  it("second address after refusal", async () => {
    const { server } = await openSession();
    const refused = await refusedPort();
    let opened = 0;
    const transport = createSMTPTransport({
      clientName: "client.example.org",
      network: {
        resolve: async () => [
          { address: "127.0.0.1", family: 4 },
          { address: "127.0.0.1", family: 4 },
        ],
        openSocket: (address, port) => {
          opened += 1;
          return net.connect({ host: address.address, port: opened === 1 ? refused : port });
        },
      },
    });
    const recorder = new TraceRecorder(transport);
    transport.InitNew(null, recorder);
    recorder.call("Connect(server, FALSE, TRUE)", () =>
      transport.Connect(inetServer(server.port, { szServerName: "mail.example.net" }), false, true),
    );
    await recorder.waitFor(/^R\{SMTP_CONNECTED/);
    recorder.call("CommandQUIT()", () => transport.CommandQUIT());
    await recorder.disconnected();
    await server.waitForClose();

    expectGolden("connect-second-address", {
      title:
        "Two resolved addresses, the first refused: IXP_CONNECTING twice, then the session on the second",
      callbacks: recorder.lines,
      wire: server.connections[1]?.transcript ?? [],
    });
    expect(recorder.lines.filter((line) => line === "status IXP_CONNECTING")).toHaveLength(2);
    expect(recorder.errors).toHaveLength(0);
  });
});
