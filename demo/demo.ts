import { parseArgs } from "node:util";
import { buildDemoMessage, toCrlf } from "../src/cli/demo-message.js";
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
  IDNO,
  IDYES,
  type IInternetTransport,
  type INETSERVER,
  ISF_SSLONSAMEPORT,
  type ISMTPTransport2,
  IXP_DISCONNECTED,
  type IXPRESULT,
  SMTP_CONNECTED,
  SMTP_SEND_MESSAGE,
  SMTPCallbackBase,
  type SMTPMESSAGE,
  type SMTPRESPONSE,
} from "../src/index.js";
import {
  type EmbeddedServer,
  type EmbeddedServerOptions,
  startEmbeddedServer,
} from "./embedded-server.js";

const USAGE =
  "usage: npm run demo [-- [--server HOST:PORT] [--tls | --starttls] [--user NAME --password SECRET]]";

/** The demo's command-line options. */
interface DemoOptions {
  target: { host: string; port: number } | null;
  tls: "none" | "implicit" | "starttls";
  user: string | null;
  password: string;
}
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
    /** The embedded server uses smtp-server's own self-signed certificate, which only it may pass. */
    private readonly acceptUntrustedCertificate: boolean,
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

  override OnPrompt(hrError: number, text: string): number {
    const answer = this.acceptUntrustedCertificate ? IDYES : IDNO;
    this.#print(
      `OnPrompt(${formatHr(hrError)} ${hresultName(hrError) ?? ""}, ${JSON.stringify(text)})`,
    );
    this.#print(
      answer === IDYES
        ? "  → IDYES: the embedded server presents smtp-server's built-in self-signed certificate"
        : "  → IDNO: the certificate is not trusted",
    );
    return answer;
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

function inetServer(host: string, port: number, options: DemoOptions): INETSERVER {
  return {
    szAccount: "imnxport demo",
    szUserName: options.user ?? "",
    szPassword: options.password,
    szServerName: host,
    szConnectoid: "",
    rasconntype: 0,
    dwPort: port,
    fSSL: options.tls !== "none",
    fTrySicily: false,
    dwTimeout: 30,
    dwFlags: options.tls === "starttls" ? ISF_SSLONSAMEPORT : 0,
  };
}

/** Parse the command line; a string is the error to print with the usage. */
function parseOptions(): DemoOptions | string | "help" {
  const { values } = parseArgs({
    options: {
      server: { type: "string" },
      tls: { type: "boolean" },
      starttls: { type: "boolean" },
      user: { type: "string" },
      password: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help === true) {
    return "help";
  }

  if (values.tls === true && values.starttls === true) {
    return "Use either --tls or --starttls, not both";
  }

  if ((values.user === undefined) !== (values.password === undefined)) {
    return "--user and --password go together";
  }

  let target: DemoOptions["target"] = null;
  if (values.server !== undefined) {
    target = parseServer(values.server);
    if (target === null) {
      return `Invalid --server ${JSON.stringify(values.server)}: expected HOST:PORT with a port from 1 to 65535`;
    }
  }

  let tls: DemoOptions["tls"] = "none";
  if (values.tls === true) {
    tls = "implicit";
  } else if (values.starttls === true) {
    tls = "starttls";
  }
  return { target, tls, user: values.user ?? null, password: values.password ?? "" };
}

/** smtp-server settings matching the demo's options: TLS mode and AUTH with the given user. */
function embeddedServerSettings(options: DemoOptions): EmbeddedServerOptions {
  const disabled = [
    options.tls === "starttls" ? null : "STARTTLS",
    options.user === null ? "AUTH" : null,
  ];
  return {
    secure: options.tls === "implicit",
    disabledCommands: disabled.filter((command): command is string => command !== null),
    authOptional: options.user === null,
    authMethods: ["PLAIN", "LOGIN", "CRAM-MD5"],
    onAuth(auth, _session, callback) {
      const accepted =
        auth.username === options.user &&
        (auth.method === "CRAM-MD5"
          ? auth.validatePassword(options.password)
          : auth.password === options.password);
      callback(
        accepted ? null : new Error("Invalid user name or password"),
        accepted ? { user: auth.username } : undefined,
      );
    },
  };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions();
  } catch (error) {
    options = (error as Error).message;
  }

  if (options === "help") {
    print(USAGE);
    return 0;
  }

  if (typeof options === "string") {
    process.stderr.write(`${options}\n${USAGE}\n`);
    return 2;
  }

  let server: EmbeddedServer | null = null;
  let target = options.target;
  if (target === null) {
    server = await startEmbeddedServer(embeddedServerSettings(options));
    target = { host: server.host, port: server.port };
    const mode = { none: "plaintext", implicit: "implicit TLS", starttls: "STARTTLS" }[options.tls];
    const auth = options.user === null ? "" : `, AUTH for ${options.user}`;
    print(
      `Embedded SMTP server (smtp-server) listening on ${server.host}:${server.port} (${mode}${auth})`,
    );
  }

  try {
    return await send(target, server, options);
  } finally {
    await server?.close();
  }
}

async function send(
  target: { host: string; port: number },
  server: EmbeddedServer | null,
  options: DemoOptions,
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
  const callback = new DemoCallback(transport, message, server !== null);
  transport.InitNew(null, callback);
  const authenticate = options.user !== null;
  const hr = callback.call(`Connect(server, ${authenticate ? "TRUE" : "FALSE"}, TRUE)`, () =>
    transport.Connect(inetServer(target.host, target.port, options), authenticate, true),
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
  const expected = toCrlf(body);
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
