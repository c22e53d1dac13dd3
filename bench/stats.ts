import type { ChildReport } from "./child.js";
import type { ClientId } from "./clients/types.js";
import type { Workload } from "./workloads.js";

/** A child's report and the round it belongs to (-1 for the single 1 GiB run). */
export interface Measurement extends ChildReport {
  round: number;
  /** CPU time the sink used while this client ran, in ms; null where it cannot be read. */
  sinkCpuMs: number | null;
}

/** The median and range of a set of values. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  count: number;
}

const MiB = 1024 * 1024;

export function spreadOf(values: readonly number[]): Spread | null {
  if (values.length === 0) {
    return null;
  }

  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return {
    median,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    count: sorted.length,
  };
}

/** Messages per second, or MiB per second for a stream workload. */
export function rateOf(measurement: Measurement, workload: Workload): number {
  const seconds = measurement.elapsedMs / 1000;
  return workload.metric === "MiB/s"
    ? measurement.bytes / MiB / seconds
    : measurement.messages / seconds;
}

/**
 * Returns the client's CPU time per unit of work: µs per message, or ms per MiB for a stream. Unlike
 * a rate, it barely changes when other processes compete for the CPU.
 */
export function cpuCost(measurement: Measurement, workload: Workload): number {
  return workload.metric === "MiB/s"
    ? measurement.cpuMs / (measurement.bytes / MiB)
    : (measurement.cpuMs * 1000) / measurement.messages;
}

/** Returns the sink's CPU use while the client ran, as a share of one core (1 is a full core). */
export function sinkLoad(measurement: Measurement): number | null {
  return measurement.sinkCpuMs === null || measurement.elapsedMs <= 0
    ? null
    : measurement.sinkCpuMs / measurement.elapsedMs;
}

export function peakRssMiB(measurement: Measurement): number {
  return measurement.peakRssKiB / 1024;
}

function successful(
  measurements: readonly Measurement[],
  workload: Workload,
  client: ClientId,
): Measurement[] {
  return measurements.filter((m) => m.ok && m.workload === workload.id && m.client === client);
}

/** One client's results on one workload. */
export interface ClientSummary {
  rate: Spread | null;
  peakRss: Spread | null;
  failures: string[];
}

export function summarizeClient(
  measurements: readonly Measurement[],
  workload: Workload,
  client: ClientId,
): ClientSummary {
  const ok = successful(measurements, workload, client);
  const failures = measurements
    .filter((m) => !m.ok && m.workload === workload.id && m.client === client)
    .map((m) => `round ${m.round + 1}: ${m.error ?? "failed"}`);
  return {
    rate: spreadOf(ok.map((m) => rateOf(m, workload))),
    peakRss: spreadOf(ok.map(peakRssMiB)),
    failures,
  };
}

/**
 * Computes `value(a) / value(b)` in each round where both clients succeeded. Machine noise that
 * slows one round then slows both sides of that round's ratio.
 */
export function sameRoundRatios(
  measurements: readonly Measurement[],
  workload: Workload,
  a: ClientId,
  b: ClientId,
  value: (m: Measurement) => number,
): Spread | null {
  const byRound = new Map<number, Measurement>();
  for (const m of successful(measurements, workload, b)) {
    byRound.set(m.round, m);
  }

  const ratios: number[] = [];
  for (const m of successful(measurements, workload, a)) {
    const other = byRound.get(m.round);
    if (other !== undefined) {
      ratios.push(value(m) / value(other));
    }
  }
  return spreadOf(ratios);
}

/** A goal of the benchmark, checked on same-round ratios or on imnxport's own peak RSS. */
export interface Target {
  workload: string;
  text: string;
  /** The imnxport client the target measures; the default is `imnxport-legacy`. */
  client?: ClientId;
  kind: "ratio-at-least" | "rss-at-most";
  threshold: number;
}

export const TARGETS: readonly Target[] = [
  { workload: "W1", text: "W1 msgs/s ≥ 1.2× nodemailer", kind: "ratio-at-least", threshold: 1.2 },
  {
    workload: "W2",
    text: "W2 msgs/s, not pipelined, ≥ 0.9× nodemailer",
    kind: "ratio-at-least",
    threshold: 0.9,
  },
  {
    workload: "W2",
    text: "W2 msgs/s with PIPELINING ≥ 1.3× nodemailer",
    client: "imnxport-pipelined",
    kind: "ratio-at-least",
    threshold: 1.3,
  },
  { workload: "W3", text: "W3 MiB/s ≥ 1.0× nodemailer", kind: "ratio-at-least", threshold: 1 },
  { workload: "W3", text: "W3 imnxport peak RSS ≤ 64 MiB", kind: "rss-at-most", threshold: 64 },
  { workload: "W4", text: "W4 msgs/s ≥ 1.5× nodemailer", kind: "ratio-at-least", threshold: 1.5 },
];

export interface TargetResult {
  target: Target;
  /** The median ratio, or the highest peak RSS in MiB over the rounds; null when not measured. */
  measured: number | null;
  met: boolean | null;
  /** "met" or "missed", with the margin. */
  verdict: string;
}

export function evaluateTarget(
  target: Target,
  measurements: readonly Measurement[],
  workload: Workload,
): TargetResult {
  const client = target.client ?? "imnxport-legacy";
  const measured =
    target.kind === "rss-at-most"
      ? (summarizeClient(measurements, workload, client).peakRss?.max ?? null)
      : (sameRoundRatios(measurements, workload, client, "nodemailer", (m) => rateOf(m, workload))
          ?.median ?? null);

  if (measured === null) {
    return { target, measured, met: null, verdict: "not measured" };
  }

  if (target.kind === "rss-at-most") {
    const met = measured <= target.threshold;
    const margin = Math.abs(measured - target.threshold);
    const verdict = met
      ? `met, ${margin.toFixed(1)} MiB below the limit`
      : `missed by ${margin.toFixed(1)} MiB (${percent(measured / target.threshold - 1)} over)`;
    return { target, measured, met, verdict };
  }

  const met = measured >= target.threshold;
  const relative = measured / target.threshold - 1;
  const verdict = met
    ? `met, ${percent(relative)} above the target`
    : `missed by ${percent(-relative)} (${measured.toFixed(2)}× of ${target.threshold.toFixed(2)}×)`;
  return { target, measured, met, verdict };
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(0)}%`;
}
