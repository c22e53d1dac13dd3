import { parseArgs } from "node:util";
import {
  ADDR_FROM,
  ADDR_TO,
  BufferStream,
  createSMTPTransport,
  describeWinsockError,
  FAILED,
  formatCommand,
  formatError,
  formatHr,
  formatResponse,
  formatStatus,
  hresultName,
  type IInternetTransport,
  type INETSERVER,
  type ISMTPTransport2,
  IXP_DISCONNECTED,
  type IXPRESULT,
  SMTP_CONNECTED,
  SMTP_SEND_MESSAGE,
  SMTPCallbackBase,
  type SMTPMESSAGE,
  type SMTPRESPONSE,
} from "../src/index.js";
import { type EmbeddedServer, startEmbeddedServer } from "./embedded-server.js";
import { buildDemoMessage, normalizeLineEnds } from "./message.js";

const USAGE = "usage: npm run demo [-- --server HOST:PORT]";
const SENDER = "sender@example.com";
const RECIPIENTS = ["first@example.org", "second@example.org"];

/** Prints every callback in order, and drives the session the way OE code did. */
class DemoCallback extends SMTPCallbackBase {
  failure: IXPRESULT | null = null;
  readonly #done: Promise<void>;
  #finish: () => void = () => {};

  constructor(
    private readonly transport: ISMTPTransport2,
    private readonly message: SMTPMESSAGE,
  ) {
    super();
    this.#done = new Promise((resolve) => {
      this.#finish = resolve;
    });
  }

  get done(): Promise<void> {
    return this.#done;
  }

  override OnStatus(status: number): number {
    this.#print(formatStatus(status));
    if (status === IXP_DISCONNECTED) {
      this.#finish();
    }
    return 0;
  }

  override OnError(status: number, result: IXPRESULT): number {
    this.#print(formatError(status, result));
    this.failure = result;
    return 0;
  }

  override OnCommand(cmdtype: number, line: string, hr: number): number {
    this.#print(formatCommand(cmdtype, line, hr));
    return 0;
  }

  override OnTimeout(box: { value: number }, _transport: IInternetTransport): number {
    this.#print(`timeout after ${box.value}s: giving up`);
    return 1;
  }

  override OnResponse(response: SMTPRESPONSE): number {
    this.#print(formatResponse(response));
    if (!response.fDone) {
      return 0;
    }

    if (response.command === SMTP_CONNECTED) {
      this.#call("SendMessage", () => this.transport.SendMessage(this.message));
    } else if (response.command === SMTP_SEND_MESSAGE) {
      if (FAILED(response.rIxpResult.hrResult)) {
        this.failure = response.rIxpResult;
      }
      this.#call("CommandQUIT", () => this.transport.CommandQUIT());
    }
    return 0;
  }

  /** Call the transport; callbacks fired before it returns are printed under it, marked (sync). */
  call(name: string, invoke: () => number): number {
    const outer = this.#syncLines;
    this.#syncLines = [];
    const hr = invoke();
    const lines = this.#syncLines;
    this.#syncLines = outer;
    this.#print(`${name} → ${formatHr(hr)}`);
    for (const line of lines) {
      this.#print(`  ${line} (sync)`);
    }
    return hr;
  }

  #syncLines: string[] | null = null;

  #print(line: string): void {
    if (this.#syncLines !== null) {
      this.#syncLines.push(line);
      return;
    }

    print(line);
  }

  #call(name: string, invoke: () => number): void {
    const hr = this.call(`${name}(...)`, invoke);
    if (FAILED(hr)) {
      this.failure = {
        hrResult: hr,
        pszResponse: null,
        uiServerError: 0,
        hrServerError: 0,
        dwSocketError: 0,
        pszProblem: null,
      };
      this.transport.DropConnection();
    }
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function parseServer(value: string): { host: string; port: number } | null {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (match === null || !Number.isInteger(port) || port < 1 || port > 65535) {
    return null;
  }

  return { host: (match[1] ?? "").replace(/^\[|\]$/g, ""), port };
}

function describeFailure(result: IXPRESULT): string {
  const name = hresultName(result.hrResult) ?? "unknown HRESULT";
  const lines = [`Sending failed: ${formatHr(result.hrResult)} ${name}`];
  if (result.pszResponse !== null) {
    lines.push(`Server response: ${result.pszResponse}`, `Server error: ${result.uiServerError}`);
  }
  if (result.dwSocketError !== 0) {
    const meaning = describeWinsockError(result.dwSocketError);
    lines.push(
      `Socket error: ${result.dwSocketError}${meaning === undefined ? "" : ` (${meaning})`}`,
    );
  }
  if (result.pszProblem !== null) {
    lines.push(`Problem: ${result.pszProblem}`);
  }
  return lines.join("\n");
}

function inetServer(host: string, port: number): INETSERVER {
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

async function main(): Promise<number> {
  let target: { host: string; port: number } | null = null;
  try {
    const { values } = parseArgs({
      options: { server: { type: "string" }, help: { type: "boolean" } },
    });
    if (values.help === true) {
      print(USAGE);
      return 0;
    }
    if (values.server !== undefined) {
      target = parseServer(values.server);
      if (target === null) {
        process.stderr.write(
          `Invalid --server ${JSON.stringify(values.server)}: expected HOST:PORT\n${USAGE}\n`,
        );
        return 2;
      }
    }
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }

  let server: EmbeddedServer | null = null;
  if (target === null) {
    server = await startEmbeddedServer();
    target = { host: server.host, port: server.port };
    print(`Embedded SMTP server (smtp-server) listening on ${server.host}:${server.port}`);
  }

  try {
    return await send(target, server);
  } finally {
    await server?.close();
  }
}

async function send(
  target: { host: string; port: number },
  server: EmbeddedServer | null,
): Promise<number> {
  const body = buildDemoMessage(SENDER, RECIPIENTS);
  const addresses = [
    { addrtype: ADDR_FROM, szEmail: SENDER },
    ...RECIPIENTS.map((email) => ({ addrtype: ADDR_TO, szEmail: email })),
  ];
  const message: SMTPMESSAGE = {
    cbSize: body.length,
    pstmMsg: new BufferStream(body),
    rAddressList: { cAddress: addresses.length, prgAddress: addresses },
  };

  const transport = createSMTPTransport();
  const callback = new DemoCallback(transport, message);
  transport.InitNew(null, callback);
  const hr = callback.call("Connect(server, FALSE, TRUE)", () =>
    transport.Connect(inetServer(target.host, target.port), false, true),
  );
  if (FAILED(hr)) {
    process.stderr.write(
      `${describeFailure({ hrResult: hr, pszResponse: null, uiServerError: 0, hrServerError: 0, dwSocketError: 0, pszProblem: null })}\n`,
    );
    return 1;
  }

  await callback.done;
  if (callback.failure !== null) {
    process.stderr.write(`${describeFailure(callback.failure)}\n`);
    return 1;
  }

  if (server === null) {
    print("Sent.");
    return 0;
  }

  return checkDelivery(server, body);
}

async function checkDelivery(server: EmbeddedServer, body: Buffer): Promise<number> {
  const [received] = await server.waitForMessages(1, 5000);
  const expected = normalizeLineEnds(body);
  if (received === undefined || !received.raw.equals(expected)) {
    process.stderr.write(
      "The server received different bytes than the CRLF-normalized message sent.\n",
    );
    return 1;
  }

  const added = received.raw.length - body.length;
  print(
    `The server received ${received.raw.length} bytes for ${received.envelope.rcptTo.join(", ")}: the ${body.length}-byte message with its bare LF line ends sent as CRLF (${added} CR bytes added), byte for byte.`,
  );
  print(`Stored as ${server.dir}/1.eml`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `Demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
