import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSMTPTransport, type TransportOptions } from "../../src/compat/transport.js";
import {
  CMD_SEND,
  IXP_IS_AUTHENTICATED,
  SMTP_AUTH,
  SMTP_CONNECTED,
  SMTP_SEND_MESSAGE,
} from "../../src/imnxport/enums.js";
import { S_FALSE, S_OK } from "../../src/imnxport/hresults.js";
import type { INETSERVER } from "../../src/imnxport/structs.js";
import { type RealServer, startRealServer } from "../support/real-server.js";
import { inetServer, smtpMessage } from "../support/scenario.js";
import { testTempDir } from "../support/temp-dir.js";
import { TraceRecorder } from "../support/trace.js";

const USER = "alice@example.com";
const PASSWORD = "s3cret-Pa55word";
const TOKEN = "ya29.a0-access-token-for-tests";

let server: RealServer | null = null;

/**
 * Every line OnCommand reported and every protocol log file written in this file, checked for
 * secrets (and their base64 forms) after each test.
 */
const sentLines: string[] = [];
const logFiles: string[] = [];

afterEach(async () => {
  await server?.close();
  server = null;
  const secrets = [PASSWORD, TOKEN, "wrong-password"];
  const forms = secrets.flatMap((secret) => [secret, Buffer.from(secret).toString("base64")]);
  const plainToken = Buffer.from(`\0${USER}\0${PASSWORD}`).toString("base64");
  const logLines = logFiles.flatMap((file) => readFileSync(file, "utf8").split("\r\n"));
  logFiles.length = 0;
  expect(logLines.some((line) => line.includes("AUTH"))).toBe(logLines.length > 0);
  for (const line of [...sentLines, ...logLines]) {
    for (const form of [...forms, plainToken]) {
      expect(line).not.toContain(form);
    }
  }
  sentLines.length = 0;
});

async function startAuthServer(methods: string[]): Promise<RealServer> {
  return startRealServer({
    saveDir: null,
    disabledCommands: ["STARTTLS"],
    authOptional: false,
    authMethods: methods,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      const good =
        auth.method === "XOAUTH2"
          ? auth.accessToken === TOKEN
          : auth.method === "CRAM-MD5"
            ? auth.validatePassword(PASSWORD)
            : auth.password === PASSWORD;
      if (auth.username === USER && good) {
        callback(null, { user: auth.username });
        return;
      }
      callback(new Error("Invalid username or password"));
    },
  });
}

interface AuthRun {
  recorder: TraceRecorder;
  transport: ReturnType<typeof createSMTPTransport>;
}

/** Connect with fAuthenticate, send one message, quit; `edit` answers OnLogonPrompt. */
async function sendAuthenticated(
  target: RealServer,
  fields: Partial<INETSERVER>,
  options: TransportOptions = {},
  edit: ((server: INETSERVER) => Promise<number>) | null = null,
): Promise<AuthRun> {
  const transport = createSMTPTransport({ clientName: "client.example.org", ...options });
  const recorder = new TraceRecorder(transport);
  recorder.OnLogonPrompt = (pInetServer: INETSERVER) => {
    recorder.lines.push("logon-prompt");
    return edit === null ? S_FALSE : edit(pInetServer);
  };
  recorder.onCommand = (cmdtype, line) => {
    if (cmdtype === CMD_SEND) {
      sentLines.push(line);
    }
  };
  recorder.onResponse = (response) => {
    if (!response.fDone) {
      return;
    }
    if (response.command === SMTP_CONNECTED) {
      expect(transport.IsState(IXP_IS_AUTHENTICATED)).toBe(S_OK);
      transport.SendMessage(smtpMessage(USER, ["bob@example.org"], "Subject: hi\r\n\r\nhi\r\n"));
    } else if (response.command === SMTP_SEND_MESSAGE) {
      transport.CommandQUIT();
    }
  };

  const logFile = path.join(testTempDir("imnxport-auth-"), "smtp.log");
  logFiles.push(logFile);
  transport.InitNew(logFile, recorder);
  const hr = transport.Connect(
    inetServer(target.port, { szUserName: USER, szPassword: PASSWORD, ...fields }),
    true,
    true,
  );
  expect(hr).toBe(S_OK);
  await recorder.disconnected();
  return { recorder, transport };
}

function statuses(recorder: TraceRecorder): string[] {
  return recorder.lines.filter((line) => line.startsWith("status ")).map((line) => line.slice(7));
}

describe("AUTH against smtp-server", () => {
  for (const mechanism of ["PLAIN", "LOGIN", "CRAM-MD5"]) {
    it(`${mechanism} delivers the message`, async () => {
      server = await startAuthServer([mechanism]);

      const { recorder } = await sendAuthenticated(server, {});

      expect(recorder.errors).toEqual([]);
      expect(server.messages).toHaveLength(1);
      expect(statuses(recorder)).toEqual([
        "IXP_FINDINGHOST",
        "IXP_CONNECTING",
        "IXP_CONNECTED",
        "IXP_AUTHORIZING",
        "IXP_AUTHORIZED",
        "IXP_CONNECTED",
        "IXP_DISCONNECTING",
        "IXP_DISCONNECTED",
      ]);
      const auth = recorder.responses.filter((response) => response.command === SMTP_AUTH);
      expect(auth.at(-1)?.rIxpResult.uiServerError).toBe(235);
      expect(auth.at(-1)?.rIxpResult.hrResult).toBe(0x000ccc79);
    });
  }

  it("prefers CRAM-MD5 over PLAIN and LOGIN", async () => {
    server = await startAuthServer(["LOGIN", "PLAIN", "CRAM-MD5"]);

    const { recorder } = await sendAuthenticated(server, {});

    expect(recorder.lines).toContain('send "AUTH CRAM-MD5\\r\\n"');
  });

  it("XOAUTH2 with a token", async () => {
    server = await startAuthServer(["PLAIN", "XOAUTH2"]);

    const { recorder } = await sendAuthenticated(
      server,
      {},
      { xoauth2: { username: USER, accessToken: TOKEN } },
    );

    expect(recorder.errors).toEqual([]);
    expect(recorder.lines).toContain('send "AUTH XOAUTH2 ****\\r\\n"');
    expect(server.messages).toHaveLength(1);
  });

  it("retries after OnLogonPrompt S_OK", async () => {
    server = await startAuthServer(["PLAIN"]);
    let prompts = 0;

    const { recorder } = await sendAuthenticated(
      server,
      { szPassword: "wrong-password" },
      {},
      async (edited) => {
        prompts += 1;
        expect(edited.szPassword).toBe("wrong-password");
        edited.szPassword = PASSWORD;
        return S_OK;
      },
    );

    expect(prompts).toBe(1);
    expect(recorder.errors).toEqual([]);
    expect(server.messages).toHaveLength(1);
    const seen = statuses(recorder);
    expect(seen.indexOf("IXP_AUTHRETRY")).toBeGreaterThan(0);
    expect(seen.slice(seen.indexOf("IXP_AUTHRETRY"), seen.indexOf("IXP_AUTHRETRY") + 2)).toEqual([
      "IXP_AUTHRETRY",
      "IXP_FINDINGHOST",
    ]);
    expect(seen.filter((status) => status === "IXP_DISCONNECTED")).toHaveLength(1);
  });

  it("ends with OnError after OnLogonPrompt S_FALSE", async () => {
    server = await startAuthServer(["PLAIN"]);

    const { recorder } = await sendAuthenticated(server, { szPassword: "wrong-password" });

    expect(recorder.lines).toContain("logon-prompt");
    expect(recorder.errors).toHaveLength(1);
    expect(recorder.errors[0]?.uiServerError).toBe(535);
    expect(recorder.lines.some((line) => line.startsWith("error{IXP_AUTHORIZING,"))).toBe(true);
    expect(server.messages).toHaveLength(0);
    expect(statuses(recorder).at(-1)).toBe("IXP_DISCONNECTED");
  });

  it("CommandAUTH runs the exchange on demand", async () => {
    server = await startAuthServer(["LOGIN"]);
    const transport = createSMTPTransport({ clientName: "client.example.org" });
    const recorder = new TraceRecorder(transport);
    recorder.onCommand = (cmdtype, line) => {
      if (cmdtype === CMD_SEND) {
        sentLines.push(line);
      }
    };
    recorder.onResponse = (response) => {
      if (response.command === SMTP_CONNECTED) {
        expect(transport.CommandAUTH("LOGIN")).toBe(S_OK);
      } else if (
        response.command === SMTP_AUTH &&
        response.fDone &&
        response.rIxpResult.uiServerError === 235
      ) {
        expect(transport.IsState(IXP_IS_AUTHENTICATED)).toBe(S_OK);
        transport.CommandQUIT();
      }
    };
    transport.InitNew(null, recorder);

    transport.Connect(
      inetServer(server.port, { szUserName: USER, szPassword: PASSWORD, dwFlags: 0x10 }),
      false,
      true,
    );
    await recorder.disconnected();

    expect(recorder.errors).toEqual([]);
    expect(recorder.lines.filter((line) => line.startsWith('send "****'))).toHaveLength(2);
    expect(recorder.lines).toContain("status IXP_DISCONNECTED");
  });
});
