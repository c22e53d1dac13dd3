import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mayAuthenticate } from "../../src/compat/session/connect-auth.js";
import type { Session } from "../../src/compat/session/session.js";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { SMTP_AUTH, SMTP_CONNECTED } from "../../src/imnxport/enums.js";
import { S_OK } from "../../src/imnxport/hresults.js";
import { inetServer, runScenario, settle } from "../support/scenario.js";
import { startScriptedServer } from "../support/scripted-server.js";
import { testTempDir } from "../support/temp-dir.js";
import { TraceRecorder } from "../support/trace.js";

const PASSWORD = "hunter2-Secret";
const CREDENTIALS = { szUserName: "alice", szPassword: PASSWORD, dwFlags: 0x10 };

function authScenario(auth: string, other: string | string[], listed = "AUTH PLAIN LOGIN") {
  return runScenario({
    message: null,
    connectAuthenticate: true,
    serverFields: CREDENTIALS,
    server: {
      ehloCapabilities: ["mail.test", listed],
      replies: { AUTH: auth, OTHER: other },
    },
  });
}

describe("AUTH against hostile servers", () => {
  it("LOGIN prompts forever: cancelled", async () => {
    const run = await authScenario(
      "334 VXNlcm5hbWU6\r\n",
      ["334 VXNlcm5hbWU6\r\n", "334 VXNlcm5hbWU6\r\n", "501 5.7.0 cancelled\r\n"],
      "AUTH LOGIN",
    );
    const commands = run.connection?.commands ?? [];

    expect(commands).toContain("*");
    expect(commands.indexOf("*")).toBeLessThanOrEqual(1 + 5);
    expect(commands).not.toContain("MAIL FROM:<>");
    expect(run.recorder.errors).toHaveLength(1);
    expect(run.recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
  });

  it("malformed challenge is cancelled", async () => {
    const run = await authScenario(
      "334 %%%not-base64\r\n",
      "501 5.5.2 cancelled\r\n",
      "AUTH LOGIN",
    );

    expect(run.connection?.commands.slice(1, 3)).toEqual(["AUTH LOGIN", "*"]);
    expect(run.recorder.errors).toHaveLength(1);
  });

  it("PLAIN with a non-empty challenge", async () => {
    const run = await authScenario("334 Zm9v\r\n", "501 5.5.2 cancelled\r\n", "AUTH PLAIN");

    expect(run.connection?.commands[2]).toBe("*");
    expect(run.recorder.errors).toHaveLength(1);
  });

  it("old AUTH= form is recognized", async () => {
    const run = await authScenario(
      "235 2.7.0 Accepted\r\n",
      "500 unexpected\r\n",
      "AUTH=LOGIN PLAIN",
    );
    const auth = run.recorder.responses.filter((response) => response.command === SMTP_AUTH);

    expect(run.connection?.commands[1]).toMatch(/^AUTH PLAIN /);
    expect(auth.at(-1)?.rIxpResult.uiServerError).toBe(235);
    expect(run.recorder.errors).toEqual([]);
  });

  it("no AUTH listed: goes on unauthenticated", async () => {
    const run = await authScenario("235 ok\r\n", "500 x\r\n", "SIZE 1000");

    expect(run.recorder.errors).toEqual([]);
    expect(run.connection?.commands.some((command) => command.startsWith("AUTH"))).toBe(false);
    expect(run.recorder.responses.some((response) => response.command === SMTP_CONNECTED)).toBe(
      true,
    );
  });
});

describe("credential protection", () => {
  function fakeSession(remoteAddress: string, secure: boolean): Session {
    return { secure, socket: { remoteAddress } } as unknown as Session;
  }

  const settings = { allowCleartext: false, xoauth2: null, ntlm: {} };

  it("allows TLS and loopback only", () => {
    expect(mayAuthenticate(fakeSession("127.0.0.1", false), settings)).toBe(true);
    expect(mayAuthenticate(fakeSession("127.8.9.10", false), settings)).toBe(true);
    expect(mayAuthenticate(fakeSession("::1", false), settings)).toBe(true);
    expect(mayAuthenticate(fakeSession("::ffff:127.0.0.1", false), settings)).toBe(true);
    expect(mayAuthenticate(fakeSession("192.0.2.10", false), settings)).toBe(false);
    expect(mayAuthenticate(fakeSession("2001:db8::1", false), settings)).toBe(false);
    expect(mayAuthenticate(fakeSession("192.0.2.10", true), settings)).toBe(true);
    expect(
      mayAuthenticate(fakeSession("192.0.2.10", false), { ...settings, allowCleartext: true }),
    ).toBe(true);
  });

  it("masks secrets in OnCommand and the log file", async () => {
    const server = await startScriptedServer({
      ehloCapabilities: ["mail.test", "AUTH LOGIN"],
      replies: {
        AUTH: "334 VXNlcm5hbWU6\r\n",
        OTHER: ["334 UGFzc3dvcmQ6\r\n", "235 2.7.0 ok\r\n"],
      },
    });
    const logPath = path.join(testTempDir("imnxport-auth-log-"), "smtp.log");
    const transport = createSMTPTransport({ clientName: "client.example.org" });
    const recorder = new TraceRecorder(transport);
    recorder.onResponse = (response) => {
      if (response.command === SMTP_CONNECTED) {
        transport.CommandQUIT();
      }
    };
    expect(transport.InitNew(logPath, recorder)).toBe(S_OK);

    transport.Connect(inetServer(server.port, CREDENTIALS), true, true);
    await recorder.disconnected();
    await settle();
    await server.close();
    const log = readFileSync(logPath, "utf8");
    const secrets = [
      PASSWORD,
      Buffer.from(PASSWORD).toString("base64"),
      Buffer.from("alice").toString("base64"),
    ];

    expect(server.connections[0]?.commands).toContain(Buffer.from(PASSWORD).toString("base64"));
    for (const secret of secrets) {
      expect(recorder.lines.join("\n")).not.toContain(secret);
      expect(log).not.toContain(secret);
    }
    expect(log).toContain("****");
  });
});
