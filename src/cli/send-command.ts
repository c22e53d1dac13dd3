import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { createStreamOnFile } from "../compat/com/file-stream.js";
import type { TransportOptions } from "../compat/transport.js";
import { checkEhloName } from "../compat/wire/address.js";
import { smtpMessage } from "../extensions/client-options.js";
import { ISF_SSLONSAMEPORT } from "../imnxport/constants.js";
import type { INETSERVER } from "../imnxport/structs.js";
import type { CliIo } from "./io.js";
import { reportOutcome } from "./outcome.js";
import { ProgressBar } from "./progress-bar.js";
import { runSession } from "./session-runner.js";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "./usage.js";

/** The `send` command's arguments, checked. */
export interface SendArguments {
  host: string;
  /** 0 when --server has no port: 25, or 465 with --tls. */
  port: number;
  from: string;
  to: string[];
  file: string;
  tls: "implicit" | "starttls" | null;
  ca: string | null;
  user: string | null;
  timeoutSeconds: number;
  clientName: string | null;
  trace: boolean;
  logFile: string | null;
}

/** Parse `send`'s arguments; throws UsageError for anything invalid. */
export function parseSendArguments(args: readonly string[]): SendArguments {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      server: { type: "string" },
      from: { type: "string" },
      to: { type: "string", multiple: true },
      starttls: { type: "boolean" },
      tls: { type: "boolean" },
      ca: { type: "string" },
      user: { type: "string" },
      timeout: { type: "string" },
      "client-name": { type: "string" },
      trace: { type: "boolean" },
      log: { type: "string" },
    },
  });

  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "Missing the message file: send needs one FILE.eml"
        : `Too many arguments: ${positionals.slice(1).join(" ")}; send takes one message file`,
    );
  }

  const server = parseServer(required(values.server, "--server HOST[:PORT]"));
  if (values.starttls === true && values.tls === true) {
    throw new UsageError("--starttls and --tls exclude each other: choose one");
  }

  const clientName = values["client-name"] ?? null;
  if (clientName !== null && !checkEhloName(clientName).ok) {
    throw new UsageError(
      `Invalid --client-name ${JSON.stringify(clientName)}: expected a domain name`,
    );
  }

  return {
    ...server,
    from: required(values.from, "--from ADDRESS"),
    to: values.to ?? required<string[]>(undefined, "--to ADDRESS"),
    file: positionals[0] ?? "",
    tls: tlsMode(values.tls === true, values.starttls === true),
    ca: values.ca ?? null,
    user: values.user ?? null,
    timeoutSeconds: parseTimeout(values.timeout),
    clientName,
    trace: values.trace === true,
    logFile: values.log ?? null,
  };
}

function tlsMode(implicit: boolean, starttls: boolean): SendArguments["tls"] {
  if (implicit) {
    return "implicit";
  }

  return starttls ? "starttls" : null;
}

/** The port Connect uses for dwPort 0: 465 for implicit TLS, 25 otherwise. */
function defaultPort(tls: SendArguments["tls"]): number {
  return tls === "implicit" ? 465 : 25;
}

function required<T>(value: T | undefined, option: string): T {
  if (value === undefined) {
    throw new UsageError(`Missing ${option}`);
  }
  return value;
}

/** `HOST`, `HOST:PORT` or `[IPv6]:PORT`. */
export function parseServer(text: string): { host: string; port: number } {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/.exec(text);
  const port = match?.[2] === undefined ? 0 : Number(match[2]);
  if (match === null || port > 65535 || (match[2] !== undefined && port === 0)) {
    throw new UsageError(`Invalid --server ${JSON.stringify(text)}: expected HOST or HOST:PORT`);
  }

  return { host: (match[1] ?? "").replace(/^\[|\]$/g, ""), port };
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) {
    return 60;
  }

  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 1 || seconds > 86_400) {
    throw new UsageError(
      `Invalid --timeout ${JSON.stringify(text)}: expected whole seconds from 1 to 86400`,
    );
  }
  return seconds;
}

/** Run `imnxport send`; the arguments were checked by parseSendArguments. */
export async function runSend(args: SendArguments, io: CliIo): Promise<number> {
  const opened = openMessageFile(args.file, io);
  if (opened === null) {
    return EXIT_FAILURE;
  }

  const ca = args.ca === null ? null : readCertificates(args.ca, io);
  if (args.ca !== null && ca === null) {
    opened.Close();
    return EXIT_FAILURE;
  }

  const transportOptions: TransportOptions = {
    ...(args.clientName === null ? {} : { clientName: args.clientName }),
    ...(ca === null ? {} : { tls: { ca } }),
  };
  const bar = io.stderr.isTTY === true ? new ProgressBar(io.stderr) : null;
  const outcome = await runSession({
    server: inetServer(args, io.env.IMNXPORT_PASSWORD ?? ""),
    authenticate: args.user !== null,
    message: smtpMessage(args, opened),
    logFile: args.logFile,
    transportOptions,
    trace: args.trace
      ? (line) => {
          bar?.clear();
          io.stdout.write(`${line}\n`);
          bar?.redraw();
        }
      : null,
    progress: bar === null ? null : (current, total) => bar.update(current, total),
  });
  bar?.finish();
  opened.Close();

  const port = args.port !== 0 ? args.port : defaultPort(args.tls);
  const report = reportOutcome(outcome, { host: args.host, port, secure: args.tls !== null });
  (report.ok ? io.stdout : io.stderr).write(report.text);
  return report.ok ? EXIT_OK : EXIT_FAILURE;
}

/** Open the message file as an IStream, or print why it cannot be read and return null. */
function openMessageFile(file: string, io: CliIo): ReturnType<typeof createStreamOnFile> | null {
  try {
    if (!statSync(file).isFile()) {
      io.stderr.write(`Cannot read ${file}: not a regular file\n`);
      return null;
    }
    return createStreamOnFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "file not found" : (error as Error).message;
    io.stderr.write(`Cannot read ${file}: ${reason}\n`);
    return null;
  }
}

/** Read the PEM file of --ca, or print why it cannot be read and return null. */
function readCertificates(file: string, io: CliIo): Buffer | null {
  try {
    return readFileSync(file);
  } catch (error) {
    io.stderr.write(`Cannot read --ca ${file}: ${(error as Error).message}\n`);
    return null;
  }
}

function inetServer(args: SendArguments, password: string): INETSERVER {
  return {
    szAccount: "imnxport",
    szUserName: args.user ?? "",
    szPassword: password,
    szServerName: args.host,
    szConnectoid: "",
    rasconntype: 0,
    dwPort: args.port,
    fSSL: args.tls !== null,
    fTrySicily: false,
    dwTimeout: args.timeoutSeconds,
    dwFlags: args.tls === "starttls" ? ISF_SSLONSAMEPORT : 0,
  };
}
