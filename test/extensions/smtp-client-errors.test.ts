import { afterEach, describe, expect, it } from "vitest";
import { connect, type SMTPClient } from "../../src/extensions/smtp-client.js";
import { SMTPError } from "../../src/extensions/smtp-error.js";
import {
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
} from "../support/scripted-server.js";

const CLIENT_NAME = "client.example.org";
const MESSAGE = { from: "a@x.test", to: ["b@y.test"], message: "Hello.\r\n" };

const servers: ScriptedServer[] = [];
const clients: SMTPClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.quit()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function scripted(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const server = await startScriptedServer(options);
  servers.push(server);
  return server;
}

async function openClient(options: ScriptedServerOptions = {}): Promise<SMTPClient> {
  const server = await scripted(options);
  const client = await connect({ host: server.host, port: server.port, clientName: CLIENT_NAME });
  clients.push(client);
  return client;
}

/** The rejection of `promise`, which must be an SMTPError. */
async function smtpFailure(promise: Promise<unknown>): Promise<SMTPError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SMTPError);
  return error as SMTPError;
}

describe("connect failures", () => {
  it("refused connection", async () => {
    const server = await scripted();
    const port = server.port;
    await server.close();

    const error = await smtpFailure(connect({ host: "127.0.0.1", port }));

    expect(error.hresultName).toBe("IXP_E_FAILED_TO_CONNECT");
    expect(error.hresult).toBe(0x800ccc0e);
    expect(error.socketError).toBe(10061);
    expect(error.response).toBeNull();
    expect(error.code).toBe(0);
  });

  it("554 greeting", async () => {
    const server = await scripted({ greeting: "554 5.3.2 No service for you\r\n" });

    const error = await smtpFailure(connect({ host: server.host, port: server.port }));

    expect(error.hresultName).toBe("IXP_E_SMTP_554_TRANSACT_FAILED");
    expect(error.code).toBe(554);
    expect(error.response).toBe("554 5.3.2 No service for you");
  });

  it("HELO timeout", async () => {
    const server = await scripted({ replies: { HELO: null } });

    const error = await smtpFailure(
      connect({ host: server.host, port: server.port, timeoutSeconds: 1 }),
    );

    expect(error.hresultName).toBe("IXP_E_TIMEOUT");
  });

  it("STARTTLS not offered", async () => {
    const server = await scripted();

    const error = await smtpFailure(
      connect({ host: server.host, port: server.port, tls: "starttls" }),
    );

    expect(error.hresultName).toBe("IXP_E_SMTP_NO_STARTTLS_SUPPORT");
    expect(error.code).toBe(250);
  });

  it("abort while connecting", async () => {
    const server = await scripted({ greeting: null });
    const controller = new AbortController();

    const connecting = connect({ host: server.host, port: server.port, signal: controller.signal });
    await server.waitForConnection();
    controller.abort();
    const error = await connecting.catch((caught: unknown) => caught);

    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe("AbortError");
  });

  it("signal aborted before the call", async () => {
    const error = await connect({
      host: "127.0.0.1",
      port: 25,
      signal: AbortSignal.abort(),
    }).catch((caught: unknown) => caught);

    expect((error as Error).name).toBe("AbortError");
  });

  it("invalid options", async () => {
    await expect(connect({ host: "" })).rejects.toThrow(TypeError);
    await expect(connect({ host: "127.0.0.1", port: 70000 })).rejects.toThrow(/Invalid port/);
    await expect(connect({ host: "127.0.0.1", timeoutSeconds: 0 })).rejects.toThrow(
      /Invalid timeoutSeconds/,
    );
    await expect(connect({ host: "127.0.0.1", clientName: "bad\r\nname" })).rejects.toThrow(
      /Invalid clientName/,
    );
  });
});

describe("send failures", () => {
  it("554 to DATA", async () => {
    const client = await openClient({ replies: { DATA: "554 5.6.0 Content rejected\r\n" } });

    const error = await smtpFailure(client.send(MESSAGE));

    expect(error.hresultName).toBe("IXP_E_SMTP_554_TRANSACT_FAILED");
    expect(error.code).toBe(554);
    expect(error.response).toBe("554 5.6.0 Content rejected");
    expect(client.connected).toBe(true);
  });

  it("552 to the dot", async () => {
    const client = await openClient({ replies: { DOT: "552 5.3.4 Message too big\r\n" } });

    const error = await smtpFailure(client.send(MESSAGE));

    expect(error.hresultName).toBe("IXP_E_SMTP_552_STORAGE_OVERFLOW");
    expect(error.code).toBe(552);
  });

  it("451 to the dot, then close", async () => {
    const client = await openClient({
      replies: { DOT: { write: "451 4.3.0 Try again\r\n", after: "close" } },
    });

    const error = await smtpFailure(client.send(MESSAGE));

    expect(error.hresultName).toBe("IXP_E_CONNECTION_DROPPED");
    expect(error.code).toBe(451);
    expect(error.response).toBe("451 4.3.0 Try again");
    await client.closed;
    expect(client.connected).toBe(false);
  });

  it("reset after RCPT", async () => {
    const client = await openClient({
      replies: { RCPT: { write: "250 2.1.5 Ok\r\n", after: "reset" } },
    });

    const error = await smtpFailure(client.send(MESSAGE));

    expect(error.hresultName).toBe("IXP_E_CONNECTION_DROPPED");
    expect(error.socketError).toBe(10054);
  });

  it("421 to MAIL", async () => {
    const client = await openClient({
      replies: { MAIL: { write: "421 4.3.2 Shutting down\r\n", after: "close" } },
    });

    const error = await smtpFailure(client.send(MESSAGE));
    const later = await smtpFailure(client.send(MESSAGE));

    expect(error.hresultName).toBe("IXP_E_SMTP_421_NOT_AVAILABLE");
    expect(error.code).toBe(421);
    expect(later.hresultName).toBe("IXP_E_NOT_CONNECTED");
  });

  it("invalid address", async () => {
    const client = await openClient();

    const error = await smtpFailure(client.send({ ...MESSAGE, to: ["b@y.test\r\nRSET"] }));

    expect(error.hresultName).toBe("IXP_E_INVALID_ADDRESS_LIST");
    expect(client.connected).toBe(true);
  });

  it("no recipients", async () => {
    const client = await openClient();

    const error = await smtpFailure(client.send({ ...MESSAGE, to: [] }));

    expect(error.hresultName).toBe("IXP_E_SMTP_NO_RECIPIENTS");
  });

  it("missing file", async () => {
    const server = await scripted();
    const client = await connect({ host: server.host, port: server.port, clientName: CLIENT_NAME });
    clients.push(client);

    const error = await client
      .send({ ...MESSAGE, message: { path: "/nonexistent/imnxport/message.eml" } })
      .catch((caught: unknown) => caught);

    expect((error as NodeJS.ErrnoException).code).toBe("ENOENT");
    expect(server.connections[0]?.commands).not.toContain("MAIL FROM:<a@x.test>");
  });

  it("abort during a send", async () => {
    const controller = new AbortController();
    const server = await scripted({ replies: { RCPT: null } });
    const client = await connect({
      host: server.host,
      port: server.port,
      clientName: CLIENT_NAME,
      signal: controller.signal,
    });

    const events = client.events()[Symbol.asyncIterator]();
    const sending = client.send(MESSAGE).catch((caught: unknown) => caught);
    const first = await events.next();
    controller.abort();

    expect(((await sending) as Error).name).toBe("AbortError");
    expect(first.value?.commandName).toBe("SMTP_MAIL");
    expect(client.connected).toBe(false);
  });
});
