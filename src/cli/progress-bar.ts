/** The part of a terminal stream the progress bar needs. */
export interface TerminalStream {
  write(text: string): unknown;
}

const BAR_WIDTH = 30;

/**
 * A one-line progress bar for the message body, redrawn in place with a carriage return. The CLI
 * shows it on standard error only when that is a terminal, driven by SMTP_SEND_STREAM reports.
 */
export class ProgressBar {
  #visible = false;
  #last = "";

  constructor(private readonly stream: TerminalStream) {}

  /** Draw `current` of `total` bytes; a total of 0 (unknown) draws the count alone. */
  update(current: number, total: number): void {
    this.#last = renderProgress(current, total);
    this.stream.write(`\r${this.#last}\x1b[K`);
    this.#visible = true;
  }

  /** Erase the bar, so other output can use the line; `redraw` puts it back. */
  clear(): void {
    if (this.#visible) {
      this.stream.write("\r\x1b[K");
      this.#visible = false;
    }
  }

  redraw(): void {
    if (this.#last !== "" && !this.#visible) {
      this.stream.write(`\r${this.#last}\x1b[K`);
      this.#visible = true;
    }
  }

  /** End the bar's line, leaving the final state on screen. */
  finish(): void {
    if (this.#visible) {
      this.stream.write("\n");
      this.#visible = false;
    }
    this.#last = "";
  }
}

/** Render the bar's text: `Sending [#########.........]  30%  64.0 KiB of 213.3 KiB`. */
export function renderProgress(current: number, total: number): string {
  if (total <= 0) {
    return `Sending ${formatBytes(current)}`;
  }

  const fraction = Math.min(1, current / total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `Sending [${bar}] ${percent}  ${formatBytes(current)} of ${formatBytes(total)}`;
}

/** Format a byte count in B, KiB or MiB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }

  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(1)} KiB`;
  }

  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
