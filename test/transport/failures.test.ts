import { afterEach, describe, expect, it } from "vitest";
import { SMTP_CONNECTED, SMTP_MAIL, SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import {
  IXP_E_CONNECTION_DROPPED,
  IXP_E_SMTP_421_NOT_AVAILABLE,
  IXP_E_SMTP_UNKNOWN_RESPONSE_CODE,
} from "../../src/imnxport/hresults.js";
import { expectGolden } from "../support/golden.js";
import { closeSessions, openSession, turns } from "../support/open-session.js";
import { expectScenario, runScenario, smtpMessage } from "../support/scenario.js";
import type { Reply, ScriptedServerOptions, Verb } from "../support/scripted-server.js";
import { nameOf } from "../support/trace.js";

afterEach(closeSessions);

describe("server ends the session", () => {
  it("unsolicited 421 while idle", async () => {
    const session = await openSession();
    await session.connection.push("421 4.3.2 Service shutting down\r\n");
    await session.recorder.disconnected();
    await session.server.waitForClose();
    await turns();
    const error = session.recorder.errors[0];

    expectGolden("failure-idle-421", {
      title:
        "An unsolicited 421 while idle: OnError with IXP_E_SMTP_421_NOT_AVAILABLE, then disconnected",
      callbacks: session.recorder.lines,
      wire: session.connection.transcript,
    });
    expect(session.recorder.errors).toHaveLength(1);
    expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_421_NOT_AVAILABLE));
    expect(error?.uiServerError).toBe(421);
    expect(error?.pszResponse).toBe("421 4.3.2 Service shutting down");
  });

  it("421 to MAIL in SendMessage", async () => {
    const run = await expectScenario(
      "failure-message-mail-421",
      "A 421 answers MAIL inside SendMessage: SMTP_MAIL, OnError 0x800CCC67, no SMTP_SEND_MESSAGE",
      {
        server: { replies: { MAIL: { write: "421 4.3.2 Try later\r\n", after: "close" } } },
      },
    );

    expect(
      run.recorder.responses.find((response) => response.command === SMTP_MAIL)?.rIxpResult
        .uiServerError,
    ).toBe(421);
    expect(run.recorder.errors).toHaveLength(1);
    expect(nameOf(run.recorder.errors[0]?.hrResult ?? 0)).toBe(
      nameOf(IXP_E_SMTP_421_NOT_AVAILABLE),
    );
    expect(run.recorder.responses.some((response) => response.command === SMTP_SEND_MESSAGE)).toBe(
      false,
    );
    expect(run.connection?.commands).not.toContain("RSET");
  });

  const resets: Array<[Verb, string]> = [
    ["MAIL", "250 2.1.0 Ok"],
    ["RCPT", "250 2.1.5 Ok"],
    ["DATA", "354 End data with <CR><LF>.<CR><LF>"],
  ];
  for (const [verb, line] of resets) {
    it(`reset after ${verb} drops`, async () => {
      const run = await runScenario({
        server: { replies: { [verb]: { write: `${line}\r\n`, after: "reset" } } },
        message: smtpMessage("a@x.test", ["b@y.test"], "x".repeat(1024 * 1024)),
      });
      const error = run.recorder.errors[0];

      expect(run.recorder.errors).toHaveLength(1);
      expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_CONNECTION_DROPPED));
      expect(error?.dwSocketError).toBe(10054);
      expect(error?.pszResponse).toBe(line);
      expect(error?.uiServerError).toBe(Number(line.slice(0, 3)));
      expect(
        run.recorder.responses.some((response) => response.command === SMTP_SEND_MESSAGE),
      ).toBe(false);
      expect(run.recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
    });
  }

  it("FIN inside partial reply", async () => {
    const run = await runScenario({
      server: { replies: { MAIL: { write: "500 Command not", after: "close" } } },
    });
    const error = run.recorder.errors[0];

    expect(run.recorder.errors).toHaveLength(1);
    expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_CONNECTION_DROPPED));
    expect(error?.uiServerError).not.toBe(500);
    expect(run.recorder.responses.some((response) => response.command === SMTP_MAIL)).toBe(false);
    expect(run.recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
  });

  it("close after QUIT without 221", async () => {
    const run = await runScenario({ server: { replies: { QUIT: { after: "close" } } } });

    expect(run.recorder.errors).toHaveLength(0);
    expect(run.recorder.lines.slice(-3)).toEqual([
      "  status IXP_DISCONNECTING (sync)",
      '  send "QUIT\\r\\n" (sync)',
      "status IXP_DISCONNECTED",
    ]);
  });

  it("close while idle reports disconnected", async () => {
    const session = await openSession();
    const before = session.recorder.lines.length;
    await session.connection.push({ after: "close" });
    await session.recorder.disconnected();
    await turns();

    expect(session.recorder.lines.slice(before)).toEqual(["status IXP_DISCONNECTED"]);
  });
});

describe("protocol errors", () => {
  const cases: Array<[name: string, server: ScriptedServerOptions]> = [
    ["greeting 220OK", { greeting: "220OK\r\n" }],
    ["greeting 2200 OK", { greeting: "2200 OK\r\n" }],
    ["greeting 233", { greeting: "233 mail.test hello\r\n" }],
    ["MAIL answered 666", { replies: { MAIL: "666 x\r\n" } }],
    ["MAIL answered 354", { replies: { MAIL: "354 go ahead\r\n" } }],
    ["two replies to MAIL", { replies: { MAIL: "250 2.1.0 Ok\r\n250 2.1.0 Again\r\n" } }],
    ["mismatched multi-line codes", { replies: { MAIL: "250-first\r\n251 second\r\n" } }],
    [
      "greeting with EHLO lines",
      { greeting: "220 mail.test\r\n250-mail.test\r\n250 SIZE 1000\r\n" },
    ],
  ];

  for (const [name, server] of cases) {
    it(`${name} is a protocol error`, async () => {
      const run = await runScenario({ server });
      const error = run.recorder.errors[0];

      expect(run.recorder.errors).toHaveLength(1);
      expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_UNKNOWN_RESPONSE_CODE));
      expect(
        run.recorder.responses.some((response) => response.command === SMTP_SEND_MESSAGE),
      ).toBe(false);
      expect(run.recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
      expect(run.recorder.lines.filter((line) => line === "status IXP_DISCONNECTED")).toHaveLength(
        1,
      );
    });
  }

  it("server speaking early golden", async () => {
    const run = await expectScenario(
      "failure-server-speaks-early",
      "Greeting and EHLO lines in one write before EHLO: protocol error",
      {
        server: { greeting: "220 mail.test\r\n250-mail.test\r\n250 SIZE 1000\r\n" },
      },
    );

    expect(run.recorder.responses.some((response) => response.command === SMTP_CONNECTED)).toBe(
      false,
    );
  });

  it("control characters become question marks", async () => {
    const reply: Reply = Buffer.from("250 ok\x01\x1b[31m\ttab\x7f\x00end\r\n", "latin1");
    const run = await runScenario({ server: { replies: { MAIL: reply } } });
    const mail = run.recorder.responses.find((response) => response.command === SMTP_MAIL);

    expect(mail?.rIxpResult.pszResponse).toBe("250 ok??[31m\ttab??end");
    expect(run.recorder.lines).toContain('resp "250 ok??[31m\\ttab??end" 0x000CCC74');
  });
});
