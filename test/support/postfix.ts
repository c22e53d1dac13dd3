import { execFile } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The domain the throwaway Postfix delivers locally (a reserved .test name, never on the net). */
export const POSTFIX_DOMAIN = "imnxport.test";

/** A local user that receives the test mail when it exists; root receives it otherwise. */
const TEST_USER = "imnxport";

/** A line of /etc/passwd: name, uid, gid and home folder. */
interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

function findAccount(name: string): Account | null {
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const fields = line.split(":");
    if (fields[0] === name && fields.length >= 6) {
      return { name, uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] ?? "" };
    }
  }
  return null;
}

/** Finds the postfix command on the PATH, or in /usr/sbin, where Debian installs it. */
function findPostfixCommand(): string | null {
  const folders = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin"];
  for (const folder of folders) {
    const candidate = join(folder, "postfix");
    if (folder !== "" && existsSync(candidate)) {
      return candidate;
    }
  }
  return null;
}

/** Reports whether the Postfix tests can run here, and the reason when they cannot. */
export function postfixAvailability(): { usable: boolean; reason: string } {
  if (findPostfixCommand() === null) {
    return {
      usable: false,
      reason: "postfix is not installed (scripts/install-system-packages.sh)",
    };
  }

  if (process.getuid?.() !== 0) {
    return { usable: false, reason: "starting postfix needs root" };
  }

  return { usable: true, reason: "postfix is installed and the tests run as root" };
}

/** A message that Postfix delivered into the Maildir. */
export interface Delivery {
  /** The Maildir file, which the helper deletes when Postfix stops. */
  file: string;
  /** The file's content: Postfix's trace headers, then the message with LF line ends. */
  content: string;
}

export interface PostfixInstance {
  readonly dir: string;
  readonly port: number;
  /** The mailbox that accepts test mail, such as root@imnxport.test. */
  readonly mailbox: string;
  /** The Maildir/new folder of that mailbox. */
  readonly newMailFolder: string;
  /** The current content of Postfix's own log file. */
  maillog(): string;
  /** Waits for the Maildir file of the message whose Message-ID header is `messageId`. */
  waitForDelivery(messageId: string, timeoutMs?: number): Promise<Delivery>;
  /** Waits for a maillog line that matches `pattern`, and returns it. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Stops Postfix, checks that it no longer runs, and deletes its folder and test mail. */
  stop(): Promise<void>;
}

/** Returns a loopback port that nothing listened on a moment ago. */
async function probeFreePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen({ host: "127.0.0.1", port: 0, exclusive: true }, () => resolve());
  });
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function mainCf(dir: string): string {
  return [
    "compatibility_level = 3.6",
    `queue_directory = ${join(dir, "queue")}`,
    `data_directory = ${join(dir, "data")}`,
    "inet_interfaces = 127.0.0.1",
    "inet_protocols = ipv4",
    "mynetworks = 127.0.0.0/8",
    `myhostname = mx.${POSTFIX_DOMAIN}`,
    `mydomain = ${POSTFIX_DOMAIN}`,
    `mydestination = ${POSTFIX_DOMAIN}`,
    "home_mailbox = Maildir/",
    "alias_maps =",
    "alias_database =",
    "biff = no",
    // Without syslog: both settings are needed, or `postfix start` fails without a word.
    `maillog_file = ${join(dir, "maillog")}`,
    `maillog_file_prefixes = ${dir}`,
    "",
  ].join("\n");
}

/**
 * Returns the system master.cf with every service out of chroot (column 5) and the public
 * smtpd listener moved to 127.0.0.1:`port`.
 */
function masterCf(port: number): string {
  return readFileSync("/etc/postfix/master.cf", "utf8")
    .split("\n")
    .map((line) => {
      const fields = line.split(/\s+/);
      if (!/^[a-z]/.test(line) || fields.length < 8) {
        return line;
      }

      if (fields[0] === "smtp" && fields[1] === "inet") {
        fields[0] = `127.0.0.1:${port}`;
      }
      fields[4] = "n";
      return fields.join("  ");
    })
    .join("\n");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `find` every 50 ms until it returns a value, or rejects with `what` after `timeoutMs`. */
async function poll<T>(find: () => T | null, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== null) {
      return found;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    }
    await sleep(50);
  }
}

/**
 * Builds a throwaway Postfix configuration in a new temporary folder (loopback port, local
 * delivery to Maildir, log file, no chroot) and starts it with `postfix -c DIR start`.
 */
export async function startPostfix(): Promise<PostfixInstance> {
  const command = findPostfixCommand();
  const postfixUser = findAccount("postfix");
  const recipient = findAccount(TEST_USER) ?? findAccount("root");
  if (command === null || postfixUser === null || recipient === null) {
    throw new Error("postfix, its postfix user or the root account is missing.");
  }

  const dir = mkdtempSync(join(tmpdir(), "imnxport-postfix-"));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, "queue"));
  mkdirSync(join(dir, "data"));
  chownSync(join(dir, "data"), postfixUser.uid, postfixUser.gid);
  const port = await probeFreePort();
  writeFileSync(join(dir, "main.cf"), mainCf(dir));
  writeFileSync(join(dir, "master.cf"), masterCf(port));

  const maildir = join(recipient.home, "Maildir");
  const maildirExisted = existsSync(maildir);
  const newMailFolder = join(maildir, "new");
  const delivered: string[] = [];
  const logFile = join(dir, "maillog");
  const maillog = (): string => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");

  try {
    await run(command, ["-c", dir, "start"]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`postfix -c ${dir} start failed: ${String(error)}\n${maillog()}`);
  }

  return {
    dir,
    port,
    mailbox: `${recipient.name}@${POSTFIX_DOMAIN}`,
    newMailFolder,
    maillog,
    waitForDelivery(messageId, timeoutMs = 20_000) {
      const header = `Message-ID: ${messageId}`;
      return poll(
        () => {
          const names = existsSync(newMailFolder) ? readdirSync(newMailFolder) : [];
          for (const name of names) {
            const file = join(newMailFolder, name);
            const content = readFileSync(file, "latin1");
            if (content.split("\n").includes(header)) {
              delivered.push(file);
              return { file, content };
            }
          }
          return null;
        },
        `the delivery of ${messageId} to ${newMailFolder}`,
        timeoutMs,
      );
    },
    waitForLog(pattern, timeoutMs = 20_000) {
      return poll(
        () =>
          maillog()
            .split("\n")
            .find((line) => pattern.test(line)) ?? null,
        `a maillog line matching ${pattern}`,
        timeoutMs,
      );
    },
    async stop() {
      await run(command, ["-c", dir, "stop"]);
      const status = await run(command, ["-c", dir, "status"]).then(
        () => "running",
        () => "stopped",
      );
      for (const file of delivered) {
        rmSync(file, { force: true });
      }
      if (!maildirExisted) {
        rmSync(maildir, { recursive: true, force: true });
      }
      rmSync(dir, { recursive: true, force: true });
      if (status !== "stopped") {
        throw new Error(`postfix -c ${dir} status still reports a running Postfix after stop.`);
      }
    },
  };
}
