import net from "node:net";

/** A message the sink accepted: its envelope and its data with dot-stuffing removed. */
export interface SinkMessage {
  mailFrom: string;
  rcptTo: string[];
  data: Buffer;
}

/** A minimal SMTP server on 127.0.0.1 that serves one session and keeps the first message. */
export interface LoopbackSink {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** Resolves with the first message accepted, or null if the session ended without one. */
  readonly message: Promise<SinkMessage | null>;
  /** Stop listening and close the session's socket. */
  close(): Promise<void>;
}

const HOST = "127.0.0.1";
/** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets with its CRLF. */
const MAX_COMMAND_LINE = 512;
/** The largest message the sink stores; it is a demo, not a mail store. */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const CRLF = Buffer.from("\r\n");
const END_OF_DATA = Buffer.from("\r\n.\r\n");

/**
 * Start the demo's SMTP sink: a greeting, HELO or EHLO, MAIL, RCPT, DATA, RSET, NOOP and QUIT,
 * enough for `imnxport demo` to run with no dependency. After the first connection it stops
 * listening, so exactly one session is served.
 */
export async function startLoopbackSink(): Promise<LoopbackSink> {
  let resolveMessage: (message: SinkMessage | null) => void = () => {};
  const message = new Promise<SinkMessage | null>((resolve) => {
    resolveMessage = resolve;
  });
  let session: net.Socket | null = null;

  const server = net.createServer((socket) => {
    server.close();
    session = socket;
    serveSession(socket, resolveMessage);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });

  const { port } = server.address() as net.AddressInfo;
  return {
    host: HOST,
    port,
    message,
    close: () =>
      new Promise<void>((resolve) => {
        (session as net.Socket | null)?.destroy();
        resolveMessage(null);
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
      }),
  };
}

/** The state of one session: the envelope so far, and whether DATA's body is arriving. */
interface Transaction {
  mailFrom: string | null;
  rcptTo: string[];
  inData: boolean;
}

function serveSession(socket: net.Socket, deliver: (message: SinkMessage | null) => void): void {
  const transaction: Transaction = { mailFrom: null, rcptTo: [], inData: false };
  let pending = Buffer.alloc(0);
  const reply = (line: string) => socket.write(`${line}\r\n`);

  socket.on("error", () => deliver(null));
  socket.on("close", () => deliver(null));
  reply("220 imnxport-demo.localhost ESMTP imnxport demo sink");

  socket.on("data", (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length > 0) {
      if (transaction.inData) {
        const end = pending.indexOf(END_OF_DATA);
        if (end < 0 && pending.length > MAX_MESSAGE_BYTES) {
          reply("552 5.3.4 Message too big for the demo sink");
          socket.end();
          return;
        }
        if (end < 0) {
          return;
        }

        // The body starts after the CRLF that was put before it, and keeps its last CRLF.
        const data = unstuff(pending.subarray(CRLF.length, end + CRLF.length));
        pending = pending.subarray(end + END_OF_DATA.length);
        deliver({ mailFrom: transaction.mailFrom ?? "", rcptTo: transaction.rcptTo, data });
        reply(`250 2.0.0 Ok: stored ${data.length} bytes`);
        Object.assign(transaction, { mailFrom: null, rcptTo: [], inData: false });
        continue;
      }

      const lineEnd = pending.indexOf("\r\n");
      if (lineEnd < 0) {
        if (pending.length > MAX_COMMAND_LINE) {
          reply("500 5.5.6 Line too long");
          socket.end();
        }
        return;
      }

      const line = pending.subarray(0, lineEnd).toString("latin1");
      pending = pending.subarray(lineEnd + 2);
      if (answer(line, transaction, reply) === "quit") {
        socket.end();
        return;
      }

      if (transaction.inData) {
        // A CRLF before the body lets one search for CRLF "." CRLF find an empty body too.
        pending = Buffer.concat([CRLF, pending]);
      }
    }
  });
}

/** Reply to one command line; returns "quit" after the reply to QUIT. */
function answer(line: string, transaction: Transaction, reply: (line: string) => void): string {
  const verb = line.slice(0, 4).toUpperCase();
  const address = /^(?:MAIL FROM|RCPT TO):<([^<>]*)>/i.exec(line)?.[1];

  if (verb === "HELO" || verb === "EHLO") {
    reply("250 imnxport-demo.localhost");
  } else if (verb === "MAIL" && address !== undefined) {
    Object.assign(transaction, { mailFrom: address, rcptTo: [] });
    reply("250 2.1.0 Ok");
  } else if (verb === "RCPT" && address !== undefined && transaction.mailFrom !== null) {
    transaction.rcptTo.push(address);
    reply("250 2.1.5 Ok");
  } else if (verb === "DATA" && transaction.rcptTo.length > 0) {
    transaction.inData = true;
    reply("354 End data with <CR><LF>.<CR><LF>");
  } else if (verb === "RSET") {
    Object.assign(transaction, { mailFrom: null, rcptTo: [], inData: false });
    reply("250 2.0.0 Ok");
  } else if (verb === "NOOP") {
    reply("250 2.0.0 Ok");
  } else if (verb === "QUIT") {
    reply("221 2.0.0 Bye");
    return "quit";
  } else if (verb === "MAIL" || verb === "RCPT" || verb === "DATA") {
    reply("503 5.5.1 Bad sequence of commands or address syntax");
  } else {
    reply("502 5.5.2 Command not implemented");
  }
  return "continue";
}

/** Remove the extra dot SMTP puts before each line that starts with one (RFC 5321 §4.5.2). */
function unstuff(data: Buffer): Buffer {
  const text = data.toString("latin1");
  const lines = text.split("\r\n").map((line) => (line.startsWith(".") ? line.slice(1) : line));
  return Buffer.from(lines.join("\r\n"), "latin1");
}
