import { parseArgs } from "node:util";
import { BufferStream } from "../compat/com/buffer-stream.js";
import { ADDR_FROM, ADDR_TO } from "../imnxport/enums.js";
import type { INETSERVER, SMTPMESSAGE } from "../imnxport/structs.js";
import { buildDemoMessage, toCrlf } from "./demo-message.js";
import type { CliIo } from "./io.js";
import { startLoopbackSink } from "./loopback-sink.js";
import { reportOutcome } from "./outcome.js";
import { runSession } from "./session-runner.js";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "./usage.js";

const SENDER = "sender@example.com";
const RECIPIENTS = ["first@example.org", "second@example.org"];
/** The EHLO/HELO name of the demo, so its output does not depend on the machine. */
const CLIENT_NAME = "client.example.org";

/**
 * Run `imnxport demo`. It starts the built-in SMTP sink on 127.0.0.1 and sends a MIME message
 * with an attachment to two recipients through ISMTPTransport: Connect, then SendMessage from
 * OnResponse(SMTP_CONNECTED), then CommandQUIT from OnResponse(SMTP_SEND_MESSAGE). It prints
 * every callback and checks that the sink received the CRLF-normalized message byte for byte.
 */
export async function runDemo(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  if (positionals.length > 0) {
    throw new UsageError(`demo takes no arguments, got ${positionals.join(" ")}`);
  }

  const sink = await startLoopbackSink();
  io.stdout.write(`Built-in SMTP sink listening on ${sink.host}:${sink.port}\n`);
  const body = buildDemoMessage(SENDER, RECIPIENTS);

  try {
    const outcome = await runSession({
      server: demoServer(sink.host, sink.port),
      authenticate: false,
      message: demoMessage(body),
      logFile: null,
      transportOptions: { clientName: CLIENT_NAME },
      trace: (line) => io.stdout.write(`${line}\n`),
      progress: null,
    });

    const report = reportOutcome(outcome, { host: sink.host, port: sink.port, secure: false });
    if (!report.ok) {
      io.stderr.write(report.text);
      return EXIT_FAILURE;
    }

    const received = await sink.message;
    const expected = toCrlf(body);
    if (received === null || !received.data.equals(expected)) {
      io.stderr.write("The sink received different bytes than the CRLF-normalized message.\n");
      return EXIT_FAILURE;
    }

    io.stdout.write(
      `The sink received ${received.data.length} bytes for ${received.rcptTo.join(", ")}: ` +
        `the ${body.length}-byte message with its bare LF line ends sent as CRLF, byte for byte.\n`,
    );
    return EXIT_OK;
  } finally {
    await sink.close();
  }
}

function demoMessage(body: Buffer): SMTPMESSAGE {
  const addresses = [
    { addrtype: ADDR_FROM, szEmail: SENDER },
    ...RECIPIENTS.map((address) => ({ addrtype: ADDR_TO, szEmail: address })),
  ];
  return {
    cbSize: body.length,
    pstmMsg: new BufferStream(body),
    rAddressList: { cAddress: addresses.length, prgAddress: addresses },
  };
}

function demoServer(host: string, port: number): INETSERVER {
  return {
    szAccount: "imnxport demo",
    szUserName: "",
    szPassword: "",
    szServerName: host,
    szConnectoid: "",
    rasconntype: 0,
    dwPort: port,
    fSSL: false,
    fTrySicily: false,
    dwTimeout: 30,
    dwFlags: 0,
  };
}
