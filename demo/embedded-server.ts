import { mkdtemp, writeFile } from "node:fs/promises";
import type { Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerDataStream,
  type SMTPServerOptions,
  type SMTPServerSession,
} from "smtp-server";

/** A message as smtp-server handed it over, with dot-stuffing removed. */
export interface ReceivedMessage {
  envelope: { mailFrom: string; rcptTo: string[] };
  raw: Buffer;
}

/** The reply code and text that the server sends in place of the usual 250. */
export interface SMTPRejection {
  code: number;
  message: string;
}

export interface EmbeddedServerOptions
  extends Omit<SMTPServerOptions, "onData" | "onMailFrom" | "onRcptTo"> {
  /**
   * Folder that receives each message as `<n>.eml`, counting from 1. When omitted, a new
   * folder is created under the system temporary directory, and null keeps messages in
   * memory only.
   */
  saveDir?: string | null;
  /** Returns the rejection for a MAIL FROM address, or null to accept it. */
  rejectSender?: (address: string) => SMTPRejection | null;
  /** Returns the rejection for a RCPT TO address, or null to accept it. */
  rejectRecipient?: (address: string) => SMTPRejection | null;
}

export interface EmbeddedServer {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** Folder the messages are written to, or null when they stay in memory only. */
  readonly dir: string | null;
  readonly messages: readonly ReceivedMessage[];
  /** Errors that smtp-server emitted, such as a client that dropped the connection mid-message. */
  readonly errors: readonly Error[];
  /** Resolves once at least `count` messages have arrived, and rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly ReceivedMessage[]>;
  /** Destroys open connections and resolves once the listener is closed. */
  close(): Promise<void>;
}

const LOOPBACK = "127.0.0.1";

/** An error whose `responseCode` smtp-server sends as the reply code. */
class SMTPReplyError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
    this.name = "SMTPReplyError";
  }
}

interface MessageWaiter {
  count: number;
  resolve: (messages: readonly ReceivedMessage[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

function checkAddress(
  reject: ((address: string) => SMTPRejection | null) | undefined,
  address: SMTPServerAddress,
  callback: (err?: Error | null) => void,
): void {
  const rejection = reject?.(address.address) ?? null;
  if (rejection === null) {
    callback();
    return;
  }

  callback(new SMTPReplyError(rejection.message, rejection.code));
}

function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("error", reject);
    stream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Starts smtp-server on 127.0.0.1 on a free port and stores every message it accepts.
 *
 * Defaults, which `options` may override: no AUTH or STARTTLS, AUTH optional, no logging,
 * no reverse DNS lookup of the client, and "mail.test" as the server name.
 */
export async function startEmbeddedServer(
  options: EmbeddedServerOptions = {},
): Promise<EmbeddedServer> {
  const { saveDir, rejectSender, rejectRecipient, ...serverOptions } = options;
  const dir =
    saveDir === undefined ? await mkdtemp(path.join(os.tmpdir(), "imnxport-demo-")) : saveDir;

  const messages: ReceivedMessage[] = [];
  const errors: Error[] = [];
  const sockets = new Set<Socket>();
  let waiters: MessageWaiter[] = [];
  let savedCount = 0;

  const settleWaiters = () => {
    for (const waiter of waiters.filter((w) => messages.length >= w.count)) {
      clearTimeout(waiter.timer);
      waiter.resolve(messages);
    }
    waiters = waiters.filter((w) => messages.length < w.count);
  };

  const storeMessage = async (session: SMTPServerSession, raw: Buffer) => {
    const { mailFrom, rcptTo } = session.envelope;
    const message: ReceivedMessage = {
      envelope: {
        mailFrom: mailFrom === false ? "" : mailFrom.address,
        rcptTo: rcptTo.map((recipient) => recipient.address),
      },
      raw,
    };

    if (dir !== null) {
      savedCount += 1;
      await writeFile(path.join(dir, `${savedCount}.eml`), raw);
    }
    messages.push(message);
    settleWaiters();
  };

  const server = new SMTPServer({
    name: "mail.test",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    ...serverOptions,
    onMailFrom(address, _session, callback) {
      checkAddress(rejectSender, address, callback);
    },
    onRcptTo(address, _session, callback) {
      checkAddress(rejectRecipient, address, callback);
    },
    onData(stream, session, callback) {
      readStream(stream)
        .then((raw) => storeMessage(session, raw))
        .then(
          () => callback(),
          (error: Error) =>
            callback(new SMTPReplyError(`Failed to store the message: ${error.message}`, 451)),
        );
    },
  });

  server.on("error", (error) => errors.push(error));
  server.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      server.server.off("error", reject);
      resolve();
    });
  });

  const { port } = server.server.address() as { port: number };

  return {
    host: LOOPBACK,
    port,
    dir,
    messages,
    errors,
    waitForMessages(count, timeoutMs = 5_000) {
      if (messages.length >= count) {
        return Promise.resolve(messages);
      }

      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w.timer !== timer);
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for ${count} messages, and ${messages.length} had arrived.`,
            ),
          );
        }, timeoutMs);
        waiters.push({ count, resolve, reject, timer });
      });
    },
    close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));

      for (const socket of sockets) {
        socket.destroy();
      }
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`Server closed while waiting for ${waiter.count} messages.`));
      }
      waiters = [];
      return closed;
    },
  };
}
