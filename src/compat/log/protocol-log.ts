import { appendFileSync, closeSync, openSync } from "node:fs";

/** The current time; tests pass a fixed clock so log lines are reproducible. */
export type Clock = () => Date;

/** Product name at the start of the line that opens each session in the log. */
export const LOG_PRODUCT_NAME = "imnxport";

/**
 * The protocol log file named by InitNew's `pszLogFilePath`, in Outlook Express's format:
 *
 * ```
 * imnxport SMTP Log started at 12/04/2026 20:17:37
 * SMTP: 20:17:37 [rx] 220 mail.test ESMTP ready
 * SMTP: 20:17:37 [tx] EHLO client.example.org
 * ```
 *
 * Times are local, 24-hour. The file is opened for appending at each Connect and closed when
 * the connection ends. Each line is written with a synchronous append on the open descriptor,
 * so lines land in the order they crossed the socket and survive a crash of the process. That
 * costs one system call per command or reply line, which is small next to a network round trip.
 * The message body never reaches this class.
 *
 * A failure to open or write never fails the transport: the first one is reported with
 * `process.emitWarning`, and logging stops until the next Connect tries again.
 */
export class ProtocolLog {
  #fd: number | null = null;
  #warned = false;

  constructor(
    readonly path: string,
    private readonly clock: Clock = () => new Date(),
  ) {}

  /** Open the file for appending and write the session's first line. Called at each Connect. */
  start(): void {
    this.close();
    const now = this.clock();
    try {
      this.#fd = openSync(this.path, "a");
    } catch (error) {
      this.#fail(error);
      return;
    }

    this.#append(`${LOG_PRODUCT_NAME} SMTP Log started at ${formatDate(now)} ${formatTime(now)}`);
  }

  /** Log a line written to the server. `line` may end with CRLF; AUTH payloads come masked. */
  sent(line: string): void {
    this.#append(`SMTP: ${formatTime(this.clock())} [tx] ${asOneLine(line)}`);
  }

  /** Log a reply line received from the server, without its line end. */
  received(line: string): void {
    this.#append(`SMTP: ${formatTime(this.clock())} [rx] ${asOneLine(line)}`);
  }

  /** Close the file. Lines logged before the next start() are dropped. */
  close(): void {
    const fd = this.#fd;
    this.#fd = null;
    if (fd === null) {
      return;
    }

    try {
      closeSync(fd);
    } catch (error) {
      this.#fail(error);
    }
  }

  #append(text: string): void {
    const fd = this.#fd;
    if (fd === null) {
      return;
    }

    try {
      appendFileSync(fd, `${text}\r\n`, "utf8");
    } catch (error) {
      this.close();
      this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    if (this.#warned) {
      return;
    }

    this.#warned = true;
    const detail = error instanceof Error ? error.message : String(error);
    process.emitWarning(
      `Writing the SMTP protocol log ${this.path} failed, so it is skipped until the next ` +
        `Connect: ${detail}`,
      { code: "IMNXPORT_LOG_WRITE_FAILED" },
    );
  }
}

/** Drop the CRLF that ends a command, and escape any other CR or LF so one line stays one line. */
function asOneLine(line: string): string {
  return line.replace(/\r\n$/, "").replace(/\r/g, "\\r").replace(/\n/g, "\\n");
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}

/** HH:MM:SS in local time, 24-hour. */
export function formatTime(date: Date): string {
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

/** MM/DD/YYYY in local time. */
export function formatDate(date: Date): string {
  return `${pad2(date.getMonth() + 1)}/${pad2(date.getDate())}/${date.getFullYear()}`;
}
