const KiB = 1024;
const MiB = 1024 * KiB;

export const WORKLOAD_IDS = ["W1", "W2", "W3", "W4"] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

/** One workload: everything a client sends over one connection. */
export interface Workload {
  /** W1 to W4, or W3-1G for the single large-stream run. */
  id: string;
  title: string;
  messages: number;
  recipients: number;
  /** Size of each message for message workloads; 0 for a stream. */
  messageBytes: number;
  /** Size of the one generated message for a stream workload; 0 otherwise. */
  streamBytes: number;
  /** Every line of each message starts with ".", so every line is dot-stuffed. */
  dotLines: boolean;
  /** The rate the table compares: messages per second, or MiB per second for a stream. */
  metric: "msgs/s" | "MiB/s";
}

/** Returns the workloads of a full run, or of a `--quick` smoke run with small sizes. */
export function workloadsFor(quick: boolean): Record<WorkloadId, Workload> {
  const scale = quick ? 10 : 1;
  return {
    W1: {
      id: "W1",
      title: `${format(2000 / scale)} × 10 KiB, 1 recipient`,
      messages: 2000 / scale,
      recipients: 1,
      messageBytes: 10 * KiB,
      streamBytes: 0,
      dotLines: false,
      metric: "msgs/s",
    },
    W2: {
      id: "W2",
      title: `${format(200 / scale)} × 10 KiB, 10 recipients`,
      messages: 200 / scale,
      recipients: 10,
      messageBytes: 10 * KiB,
      streamBytes: 0,
      dotLines: false,
      metric: "msgs/s",
    },
    W3: streamWorkload("W3", quick ? 8 * MiB : 100 * MiB),
    W4: {
      id: "W4",
      title: `${format(1000 / scale)} × 10 KiB, every line starts with "."`,
      messages: 1000 / scale,
      recipients: 1,
      messageBytes: 10 * KiB,
      streamBytes: 0,
      dotLines: true,
      metric: "msgs/s",
    },
  };
}

/** The 1 GiB stream, run once per benchmark to show whether peak RSS stays flat. */
export const W3_LARGE: Workload = streamWorkload("W3-1G", 1024 * MiB);

function streamWorkload(id: string, bytes: number): Workload {
  return {
    id,
    title: `one ${formatBytes(bytes)} message, streamed`,
    messages: 1,
    recipients: 1,
    messageBytes: 0,
    streamBytes: bytes,
    dotLines: false,
    metric: "MiB/s",
  };
}

function format(count: number): string {
  return count.toLocaleString("en-US");
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB) {
    return `${bytes / (1024 * MiB)} GiB`;
  }
  return `${bytes / MiB} MiB`;
}
