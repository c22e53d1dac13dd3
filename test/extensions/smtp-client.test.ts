import { writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { SMTPResponseEvent } from "../../src/extensions/response-events.js";
import { connect, type SMTPClient } from "../../src/extensions/smtp-client.js";
import { SMTPError } from "../../src/extensions/smtp-error.js";
import { type RealServer, startRealServer } from "../support/real-server.js";
import { testTempDir } from "../support/temp-dir.js";

const CLIENT_NAME = "client.example.org";
const BODY = "Subject: promise API\n\nFirst line.\n.A line that starts with a dot.\n";
const BODY_CRLF = BODY.replace(/\n/g, "\r\n");

let server: RealServer | null = null;
let client: SMTPClient | null = null;

afterEach(async () => {
  await client?.quit();
  client = null;
  await server?.close();
  server = null;
});

async function open(options: Parameters<typeof startRealServer>[0] = {}): Promise<SMTPClient> {
  server = await startRealServer(options);
  client = await connect({ host: server.host, port: server.port, clientName: CLIENT_NAME });
  return client;
}

/** Return the server that open() started. */
function started(): RealServer {
  if (server === null) {
    throw new Error("open() has not started a server");
  }
  return server;
}

function writeTempMessage(): string {
  const dir = testTempDir("imnxport-client-");
  const file = path.join(dir, "message.eml");
  writeFileSync(file, BODY);
  return file;
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

async function collect(events: AsyncIterable<SMTPResponseEvent>): Promise<SMTPResponseEvent[]> {
  const seen: SMTPResponseEvent[] = [];
  for await (const event of events) {
    seen.push(event);
  }
  return seen;
}

describe("SMTPClient with smtp-server", () => {
  it("sends a Buffer to two recipients", async () => {
    const smtp = await open();

    const result = await smtp.send({
      from: "a@example.com",
      to: ["b@example.org", "c@example.org"],
      message: Buffer.from(BODY),
    });

    expect(result.code).toBe(250);
    expect(result.response).toMatch(/^250 /);
    expect(result.hresult).toBe(0);
    const [received] = await started().waitForMessages(1);
    expect(received?.envelope.mailFrom).toBe("a@example.com");
    expect(received?.envelope.rcptTo).toEqual(["b@example.org", "c@example.org"]);
    expect(received?.raw.toString("latin1")).toBe(BODY_CRLF);
  });

  it("sends every kind of message input", async () => {
    const smtp = await open();
    const file = writeTempMessage();
    const inputs = [
      BODY,
      { path: file },
      `file:${file}`,
      pathToFileURL(file).href,
      pathToFileURL(file),
      Readable.from([Buffer.from(BODY.slice(0, 10)), Buffer.from(BODY.slice(10))]),
    ];

    for (const message of inputs) {
      const result = await smtp.send({ from: "a@example.com", to: ["b@example.org"], message });
      expect(result.code).toBe(250);
    }

    const received = await started().waitForMessages(inputs.length);
    for (const message of received) {
      expect(message.raw.toString("latin1")).toBe(BODY_CRLF);
    }
  });

  it("runs concurrent sends in call order", async () => {
    const smtp = await open();

    const results = await Promise.all(
      ["first", "second", "third"].map((subject) =>
        smtp.send({
          from: "a@example.com",
          to: ["b@example.org"],
          message: `Subject: ${subject}\r\n\r\nBody\r\n`,
        }),
      ),
    );

    expect(results.map((result) => result.code)).toEqual([250, 250, 250]);
    const received = await started().waitForMessages(3);
    const subjects = received.map((message) => /Subject: (\w+)/.exec(message.raw.toString())?.[1]);
    expect(subjects).toEqual(["first", "second", "third"]);
  });

  it("keeps the connect responses", async () => {
    const smtp = await open();
    const names = smtp.connectResponses.map((event) => event.commandName);

    expect(names[0]).toBe("SMTP_BANNER");
    expect(names).toContain("SMTP_HELO");
    expect(names.at(-1)).toBe("SMTP_CONNECTED");
    expect(smtp.connectResponses[0]?.code).toBe(220);
    expect(smtp.connected).toBe(true);
  });

  it("yields responses until disconnect", async () => {
    const smtp = await open();
    const events = collect(smtp.events());

    await smtp.send({ from: "a@example.com", to: ["b@example.org"], message: BODY });
    await smtp.quit();
    const seen = await events;

    const done = seen.filter((event) => event.done).map((event) => event.commandName);
    expect(done).toEqual([
      "SMTP_MAIL",
      "SMTP_RCPT",
      "SMTP_DATA",
      "SMTP_SEND_STREAM",
      "SMTP_DOT",
      "SMTP_SEND_MESSAGE",
      "SMTP_QUIT",
    ]);
    const progress = seen.find((event) => event.commandName === "SMTP_SEND_STREAM");
    expect(progress?.stream?.current).toBe(Buffer.byteLength(BODY));
    expect(seen.find((event) => event.commandName === "SMTP_QUIT")?.code).toBe(221);
    expect(smtp.connected).toBe(false);
  });

  it("ends an iterator left early", async () => {
    const smtp = await open();
    const iterator = smtp.events()[Symbol.asyncIterator]();
    const sending = smtp.send({ from: "a@example.com", to: ["b@example.org"], message: BODY });

    const first = await iterator.next();
    await iterator.return?.();
    const after = await iterator.next();
    await sending;

    expect(first.value?.commandName).toBe("SMTP_MAIL");
    expect(after.done).toBe(true);
  });

  it("rejects a refused recipient and stays usable", async () => {
    const smtp = await open({
      rejectRecipient: (address) =>
        address === "nobody@example.org" ? { code: 550, message: "5.1.1 No such user" } : null,
    });

    const error = await smtp
      .send({ from: "a@example.com", to: ["b@example.org", "nobody@example.org"], message: BODY })
      .catch((caught: unknown) => caught);
    const next = await smtp.send({ from: "a@example.com", to: ["b@example.org"], message: BODY });

    expect(error).toBeInstanceOf(SMTPError);
    const failure = error as SMTPError;
    expect(failure.hresultName).toBe("IXP_E_SMTP_REJECTED_RECIPIENTS");
    expect(failure.hresult).toBe(0x800ccc79);
    expect(failure.code).toBe(550);
    expect(failure.response).toMatch(/^550 5\.1\.1 No such user/);
    expect(failure.problem).toBe("nobody@example.org");
    expect(failure.socketError).toBe(0);
    expect(failure.message).toContain("0x800CCC79");
    expect(next.code).toBe(250);
    expect(started().messages).toHaveLength(1);
  });

  it("rejects a refused sender", async () => {
    const smtp = await open({
      rejectSender: () => ({ code: 553, message: "5.7.1 Sender not allowed" }),
    });

    const error = await smtp
      .send({ from: "a@example.com", to: ["b@example.org"], message: BODY })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SMTPError);
    expect((error as SMTPError).hresultName).toBe("IXP_E_SMTP_REJECTED_SENDER");
    expect((error as SMTPError).code).toBe(553);
  });

  it("logs on with AUTH", async () => {
    server = await startRealServer(authServerOptions());

    const smtp = await connect({
      host: server.host,
      port: server.port,
      clientName: CLIENT_NAME,
      auth: { user: "alice", password: "s3cret" },
    });
    client = smtp;
    const result = await smtp.send({ from: "a@example.com", to: ["b@example.org"], message: BODY });

    expect(result.code).toBe(250);
    expect(smtp.connectResponses.some((event) => event.commandName === "SMTP_AUTH")).toBe(true);
  });

  it("rejects a wrong password", async () => {
    server = await startRealServer(authServerOptions());

    const error = await connect({
      host: server.host,
      port: server.port,
      clientName: CLIENT_NAME,
      auth: { user: "alice", password: "wrong" },
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SMTPError);
    expect((error as SMTPError).code).toBe(535);
    expect(server.messages).toHaveLength(0);
  });

  it("resolves quit twice", async () => {
    const smtp = await open();

    await smtp.quit();
    await smtp.quit();
    await smtp.closed;

    expect(smtp.connected).toBe(false);
    await expect(collect(smtp.events())).resolves.toEqual([]);
  });
});
