import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runSend } from "../../src/cli/send-command.js";
import { type RealServer, startRealServer } from "../support/real-server.js";
import { startScriptedServer } from "../support/scripted-server.js";
import { testTempDir } from "../support/temp-dir.js";
import { runCliProcess } from "./run-cli.js";

const MESSAGE = "Subject: CLI test\nFrom: <a@example.com>\n\nHello from imnxport send.\n";

let server: RealServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

function messageFile(content = MESSAGE): string {
  const dir = testTempDir("imnxport-cli-");
  const file = path.join(dir, "message.eml");
  writeFileSync(file, content);
  return file;
}

async function realServer(
  options: Parameters<typeof startRealServer>[0] = {},
): Promise<RealServer> {
  server = await startRealServer(options);
  return server;
}

/** smtp-server requiring AUTH PLAIN without TLS, for the user alice with the password s3cret. */
function authServerOptions(): Parameters<typeof startRealServer>[0] {
  return {
    disabledCommands: ["STARTTLS"],
    authOptional: false,
    authMethods: ["PLAIN"],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === "alice" && auth.password === "s3cret") {
        callback(null, { user: auth.username });
        return;
      }
      callback(new Error("Invalid username or password"));
    },
  };
}

function sendArgs(target: { host: string; port: number }, ...extra: string[]): string[] {
  return [
    "send",
    "--server",
    `${target.host}:${target.port}`,
    "--from",
    "a@example.com",
    "--to",
    "b@example.org",
    "--client-name",
    "client.example.org",
    ...extra,
  ];
}

describe("imnxport send", () => {
  it("delivers a file to smtp-server", async () => {
    const target = await realServer();

    const result = await runCliProcess([
      ...sendArgs(target, "--to", "c@example.org"),
      messageFile(),
    ]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Message sent\.\n/);
    expect(result.stdout).toContain(`Server: '127.0.0.1', Protocol: SMTP, Server Response: '250 `);
    expect(result.stdout).toContain(`Port: ${target.port}, Secure(SSL): No, Server Error: 250`);
    expect(result.stderr).toBe("");
    const [received] = await target.waitForMessages(1);
    expect(received?.envelope.rcptTo).toEqual(["b@example.org", "c@example.org"]);
    expect(received?.raw.toString("latin1")).toBe(MESSAGE.replace(/\n/g, "\r\n"));
  });

  it("prints the callback trace", async () => {
    const target = await realServer();

    const result = await runCliProcess([...sendArgs(target, "--trace"), messageFile()]);
    const lines = result.stdout.split("\n");

    expect(result.code).toBe(0);
    expect(lines[0]).toBe("Connect(server, FALSE, TRUE) → S_OK");
    expect(lines[1]).toBe("  status IXP_FINDINGHOST (sync)");
    expect(lines).toContain('send "HELO client.example.org\\r\\n"');
    expect(lines).toContain("SendMessage(message) → S_OK");
    expect(lines.some((line) => line.startsWith("R{SMTP_SEND_MESSAGE, TRUE, S_OK, 250"))).toBe(
      true,
    );
    expect(lines).toContain("status IXP_DISCONNECTED");
  });

  it("writes the protocol log", async () => {
    const target = await realServer();
    const log = path.join(testTempDir("imnxport-cli-log-"), "smtp.log");

    const result = await runCliProcess([...sendArgs(target, "--log", log), messageFile()]);
    const text = readFileSync(log, "utf8");

    expect(result.code).toBe(0);
    expect(text).toMatch(/SMTP: \d\d:\d\d:\d\d \[tx\] HELO client\.example\.org\r\n/);
    expect(text).toMatch(/SMTP: \d\d:\d\d:\d\d \[rx\] 221 /);
    expect(text).not.toContain("Hello from imnxport send.");
  });

  it("reports a rejected recipient", async () => {
    const target = await realServer({
      rejectRecipient: () => ({ code: 550, message: "5.1.1 No such user" }),
    });

    const result = await runCliProcess([...sendArgs(target), messageFile()]);
    const lines = result.stderr.split("\n");

    expect(result.code).toBe(1);
    expect(lines[0]).toBe("Sending failed: 0x800CCC79 IXP_E_SMTP_REJECTED_RECIPIENTS");
    expect(lines[1]).toBe("The server rejected recipients (RCPT TO) of the message.");
    expect(lines[2]).toBe("Rejected address: 'b@example.org'");
    expect(lines[3]).toBe(
      `Server: '127.0.0.1', Protocol: SMTP, Server Response: '550 5.1.1 No such user', Port: ${target.port}, Secure(SSL): No, Server Error: 550, Error Number: 0x800CCC79`,
    );
    expect(lines[4]).toBe("For causes and fixes: imnxport explain 0x800CCC79");
    expect(result.stdout).toBe("");
  });

  it("reports a refused connection", async () => {
    const scripted = await startScriptedServer();
    const port = scripted.port;
    await scripted.close();

    const result = await runCliProcess([...sendArgs({ host: "127.0.0.1", port }), messageFile()]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Sending failed: 0x800CCC0E IXP_E_FAILED_TO_CONNECT");
    expect(result.stderr).toContain(
      `Port: ${port}, Secure(SSL): No, Socket Error: 10061 (WSAECONNREFUSED: connection refused), Error Number: 0x800CCC0E`,
    );
    expect(result.stderr).not.toContain("Server Response");
  });

  it("reports STARTTLS missing", async () => {
    const target = await realServer();

    const result = await runCliProcess([...sendArgs(target, "--starttls"), messageFile()]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("0x800CCC7D IXP_E_SMTP_NO_STARTTLS_SUPPORT");
    expect(result.stderr).toContain("Secure(SSL): Yes, Server Error: 250");
    expect(target.messages).toHaveLength(0);
  });

  it("logs on with --user", async () => {
    const target = await realServer(authServerOptions());

    const result = await runCliProcess(
      [...sendArgs(target, "--user", "alice", "--trace"), messageFile()],
      {
        IMNXPORT_PASSWORD: "s3cret",
      },
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Connect(server, TRUE, TRUE) → S_OK");
    expect(result.stdout).toContain('send "AUTH PLAIN ****\\r\\n"');
    expect(result.stdout).not.toContain("s3cret");
    expect(target.messages).toHaveLength(1);
  });

  it("reports a wrong password", async () => {
    const target = await realServer(authServerOptions());

    const result = await runCliProcess([...sendArgs(target, "--user", "alice"), messageFile()], {
      IMNXPORT_PASSWORD: "wrong",
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Sending failed: 0x800CCC60 IXP_E_SMTP_RESPONSE_ERROR\n/);
    expect(result.stderr).toContain("Server Error: 535");
    expect(target.messages).toHaveLength(0);
  });

  it("reports a missing file", async () => {
    const target = await realServer();

    const result = await runCliProcess([...sendArgs(target), "/nonexistent/imnxport.eml"]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe("Cannot read /nonexistent/imnxport.eml: file not found\n");
  });
});

describe("send progress bar", () => {
  it("draws on a terminal", async () => {
    const target = await realServer();
    const stdout: string[] = [];
    const stderr: string[] = [];
    const body = `Subject: big\r\n\r\n${"x".repeat(200 * 1024)}\r\n`;
    const io = {
      stdout: { write: (text: string) => stdout.push(text) },
      stderr: { write: (text: string) => stderr.push(text), isTTY: true },
      env: {},
    };

    const code = await runSend(
      {
        host: target.host,
        port: target.port,
        from: "a@example.com",
        to: ["b@example.org"],
        file: messageFile(body),
        tls: null,
        ca: null,
        user: null,
        timeoutSeconds: 30,
        clientName: "client.example.org",
        trace: false,
        logFile: null,
      },
      io,
    );

    expect(code).toBe(0);
    const frames = stderr.filter((text) => text.startsWith("\rSending ["));
    expect(frames.length).toBeGreaterThanOrEqual(4);
    expect(frames.at(-1)).toContain("100%");
    expect(frames.at(-1)).toContain("200.0 KiB of 200.0 KiB");
    expect(stderr.at(-1)).toBe("\n");
    expect(stdout.join("")).toMatch(/^Message sent\./);
  });
});
