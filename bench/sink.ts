import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from "node:fs";
import { connect, createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const LOOPBACK = "127.0.0.1";

/** smtp-sink's usual place on Debian; PATH is searched too. */
const SMTP_SINK_PATHS = ["/usr/sbin/smtp-sink", "/usr/lib/postfix/sbin/smtp-sink"];

export type SinkKind = "smtp-sink" | "smtp-server";

/** A discard SMTP server in its own process, counting the messages it accepted. */
export interface Sink {
  kind: SinkKind;
  /** The server and its version, for the report. */
  label: string;
  port: number;
  /** Messages accepted so far, from the server's `mesg=N` counter. */
  messages(): number;
  /** CPU time the sink process has used so far, in ms; null where /proc is missing. */
  cpuMs(): number | null;
  /** Waits until the counter reaches `count`; false after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/** Finds a free TCP port on 127.0.0.1 by binding port 0 and closing the listener again. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export function findSmtpSink(): string | null {
  const searchPath = (process.env.PATH ?? "").split(path.delimiter).filter((dir) => dir !== "");
  const candidates = [...searchPath.map((dir) => path.join(dir, "smtp-sink")), ...SMTP_SINK_PATHS];
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}

export interface SinkOptions {
  prefer: SinkKind | "auto";
  /** The compiled discard-server.js, run when smtp-sink is not used. */
  discardServerScript: string;
  smtpServerVersion: string;
  /** False leaves PIPELINING out of the EHLO reply. */
  pipelining: boolean;
}

/**
 * Starts smtp-sink on a free loopback port when it is installed and `prefer` is not
 * "smtp-server". Otherwise starts smtp-server through the discard server script.
 */
export async function startSink(options: SinkOptions): Promise<Sink> {
  const smtpSink = options.prefer === "smtp-server" ? null : findSmtpSink();
  if (options.prefer === "smtp-sink" && smtpSink === null) {
    throw new Error(
      "smtp-sink not found in PATH or /usr/sbin; install postfix or use --sink smtp-server",
    );
  }

  const port = await freeLoopbackPort();
  const features = options.pipelining ? "" : ", without PIPELINING";
  if (smtpSink !== null) {
    // -c prints the session and message counters, -p hides PIPELINING, and -u drops root,
    // which smtp-sink requires when started as root.
    const dropRoot = process.getuid?.() === 0 ? ["-u", "nobody"] : [];
    const noPipelining = options.pipelining ? [] : ["-p"];
    const args = ["-c", ...noPipelining, ...dropRoot, `${LOOPBACK}:${port}`, "1000"];
    const label = `Postfix smtp-sink ${postfixVersion()}${features}`;
    return launchSink(smtpSink, args, "smtp-sink", label, port);
  }

  const noPipelining = options.pipelining ? [] : ["--no-pipelining"];
  const args = [options.discardServerScript, String(port), ...noPipelining];
  const label = `smtp-server ${options.smtpServerVersion}${features}`;
  return launchSink(process.execPath, args, "smtp-server", label, port);
}

/** Bytes read from the end of the counter file, enough for several counter lines. */
const COUNTER_TAIL_BYTES = 512;

/** Reads the last `mesg=N` counter in the sink's output file, or 0 before the first message. */
function readMessageCounter(file: string): number {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, COUNTER_TAIL_BYTES);
    const tail = Buffer.alloc(length);
    readSync(fd, tail, 0, length, size - length);
    const last = [...tail.toString("latin1").matchAll(/mesg=(\d+)/g)].at(-1);
    return last?.[1] === undefined ? 0 : Number.parseInt(last[1], 10);
  } finally {
    closeSync(fd);
  }
}

/**
 * Starts a sink whose stdout goes to a file rather than a pipe: a pipe would wake this process
 * at every message and take CPU from the client being measured on a small machine.
 */
async function launchSink(
  command: string,
  args: readonly string[],
  kind: SinkKind,
  label: string,
  port: number,
): Promise<Sink> {
  const directory = mkdtempSync(path.join(os.tmpdir(), "imnxport-bench-sink-"));
  const counterFile = path.join(directory, "counters.txt");
  const output = openSync(counterFile, "w");
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ["ignore", output, "pipe"] });
  } finally {
    closeSync(output);
  }

  let stderr = "";
  let exited = false;
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    stderr += text;
  });
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  exit.then(() => {
    exited = true;
  });

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill("SIGTERM");
      await Promise.race([exit, sleep(2000)]);
    }
    if (!exited) {
      child.kill("SIGKILL");
      await exit;
    }
    rmSync(directory, { recursive: true, force: true });
  };

  try {
    await waitUntilListening(
      port,
      () => exited,
      () => stderr,
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    kind,
    label,
    port,
    messages: () => readMessageCounter(counterFile),
    cpuMs: () => (child.pid === undefined ? null : processCpuMs(child.pid)),
    async waitForMessages(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (readMessageCounter(counterFile) < count && Date.now() < deadline && !exited) {
        await sleep(10);
      }
      return readMessageCounter(counterFile) >= count;
    },
    stop,
  };
}

/** Polls the port for up to 5 s, failing early when the sink exits. */
async function waitUntilListening(port: number, hasExited: () => boolean, stderr: () => string) {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (hasExited()) {
      throw new Error(`The sink exited before listening on port ${port}: ${stderr().trim()}`);
    }
    if (await canConnect(port)) {
      return;
    }
    await sleep(100);
  }
  throw new Error(`The sink did not listen on ${LOOPBACK}:${port} within 5 s`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Clock ticks per second of /proc/PID/stat, from `getconf CLK_TCK`. */
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/** User plus system CPU time of a process from /proc/PID/stat (fields 14 and 15), in ms. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in brackets and may contain spaces; the
    // first of them is field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : null;
  } catch {
    return null;
  }
}

function postfixVersion(): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's field syntax, not JavaScript.
  const query = spawnSync("dpkg-query", ["-W", "-f", "${Version}", "postfix"], {
    encoding: "utf8",
  });
  return query.status === 0 && query.stdout !== ""
    ? `(Debian postfix ${query.stdout})`
    : "(version unknown)";
}
