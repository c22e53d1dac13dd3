/** The clients the benchmark compares, in the order of the table's columns. */
export const CLIENT_IDS = [
  "imnxport-legacy",
  "imnxport-pipelined",
  "imnxport-promise",
  "nodemailer",
  "nodemailer-no-pipelining",
  "raw-socket",
] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

export const CLIENT_LABELS: Record<ClientId, string> = {
  "imnxport-legacy": "imnxport ISMTPTransport",
  "imnxport-pipelined": "imnxport ISMTPTransport with PIPELINING",
  "imnxport-promise": "imnxport promise API",
  nodemailer: "nodemailer SMTPConnection",
  "nodemailer-no-pipelining": "nodemailer, server without PIPELINING",
  "raw-socket": "raw socket",
};

/**
 * Returns whether a client talks to the second sink, which does not list PIPELINING. nodemailer has no
 * option to turn PIPELINING off, so that is the only way to measure it one command at a time.
 */
export function usesSinkWithoutPipelining(id: ClientId): boolean {
  return id === "nodemailer-no-pipelining";
}

/** The EHLO name every client sends, so no client looks up the host name. */
export const CLIENT_NAME = "bench.example.org";

/** The envelope sender of every message. */
export const SENDER = "bench@example.com";

/** The messages one client sends over one connection, and where to. */
export interface SendPlan {
  host: string;
  port: number;
  /** Number of messages, sent one after another on the same connection. */
  count: number;
  /** Recipients of each message. */
  recipientsPerMessage: number;
  /** The message for message workloads (the same bytes every time), or null for a stream. */
  body: Buffer | null;
  /** Size of the generated message for stream workloads, else 0. */
  streamBytes: number;
}

/** A client under test: connects, sends `plan.count` messages, quits and closes. */
export interface BenchClient {
  readonly id: ClientId;
  /** False for a client the benchmark cannot run yet; the table shows "not available". */
  readonly available: boolean;
  /** Resolves with the number of messages the server accepted; rejects on any failure. */
  send(plan: SendPlan): Promise<number>;
}

/** Builds recipient `r` of message `index`, unique per message. */
export function recipientAddress(index: number, r: number): string {
  return `rcpt${index}.${r}@example.org`;
}

/** Lists the recipients of message `index`. */
export function recipientsOf(plan: SendPlan, index: number): string[] {
  const recipients: string[] = [];
  for (let r = 0; r < plan.recipientsPerMessage; r += 1) {
    recipients.push(recipientAddress(index, r));
  }
  return recipients;
}
