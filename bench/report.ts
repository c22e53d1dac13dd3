import { CLIENT_LABELS, type ClientId } from "./clients/types.js";
import type { ProfileSummary } from "./cpu-profile.js";
import type { MachineInfo } from "./machine.js";
import {
  cpuCost,
  evaluateTarget,
  type Measurement,
  peakRssMiB,
  rateOf,
  type Spread,
  sameRoundRatios,
  sinkLoad,
  spreadOf,
  summarizeClient,
  TARGETS,
} from "./stats.js";
import type { Workload } from "./workloads.js";

/** Everything one run produced, as run.ts collects it and as `--json` writes it. */
export interface RunResult {
  machine: MachineInfo;
  sink: string;
  rounds: number;
  quick: boolean;
  workloads: Workload[];
  clients: { id: ClientId; available: boolean }[];
  measurements: Measurement[];
  /** The single W3-1G run of each client, when it ran. */
  large: { workload: Workload; measurements: Measurement[] } | null;
  profiles: { title: string; summary: ProfileSummary }[];
  durationSeconds: number;
  /** os.loadavg() before the first round and after the last run, to show other load. */
  loadAverage: { start: number[]; end: number[] };
}

const NOT_AVAILABLE = "not available";

export function renderReport(result: RunResult): string {
  const sections = [
    renderSetup(result),
    renderResults(result),
    renderTargets(result),
    renderCpuCost(result),
    renderSinkLoad(result),
    renderRounds(result),
    ...result.profiles.map((profile) => renderProfile(profile.title, profile.summary)),
  ];
  return `${sections.filter((section) => section !== "").join("\n\n")}\n`;
}

function renderSetup(result: RunResult): string {
  const m = result.machine;
  const packages = Object.entries(m.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(", ");
  return [
    `- Date: ${m.date}`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB memory, ${m.os}`,
    `- Node.js ${m.node}, npm ${m.npm}; imnxport ${m.imnxport}; ${packages}`,
    `- Sink: ${result.sink}`,
    `- Load average (1, 5, 15 min) before the first round: ${formatLoad(result.loadAverage.start)}; ` +
      `after the last run: ${formatLoad(result.loadAverage.end)}`,
    `- ${result.rounds} round${result.rounds === 1 ? "" : "s"}${result.quick ? " of the --quick sizes" : ""}, ` +
      `one child process per client, workload and round; run took ${Math.round(result.durationSeconds)} s`,
  ].join("\n");
}

/** The ratio columns: imnxport against each nodemailer variant that ran. */
const RATIO_BASELINES: readonly { client: ClientId; label: string }[] = [
  { client: "nodemailer", label: "imnxport ÷ nodemailer" },
  { client: "nodemailer-no-pipelining", label: "imnxport ÷ nodemailer without PIPELINING" },
];

function ratioBaselines(result: RunResult) {
  return RATIO_BASELINES.filter((baseline) =>
    result.clients.some((c) => c.id === baseline.client && c.available),
  );
}

function renderResults(result: RunResult): string {
  const clients = result.clients;
  const baselines = ratioBaselines(result);
  const columns = [...clients.map((c) => CLIENT_LABELS[c.id]), ...baselines.map((b) => b.label)];
  const header = `| workload | metric | ${columns.join(" | ")} |`;
  const align = `|---|---|${columns.map(() => "--:").join("|")}|`;
  const rows: string[] = [];

  for (const workload of result.workloads) {
    const label = `${workload.id}: ${workload.title}`;
    rows.push(resultRow(result, workload, label, "rate"));
    if (workload.metric === "MiB/s") {
      rows.push(resultRow(result, workload, label, "rss"));
    }
  }

  if (result.large !== null) {
    const large = { ...result, measurements: result.large.measurements };
    const label = `${result.large.workload.id}: ${result.large.workload.title} (one run)`;
    rows.push(resultRow(large, result.large.workload, label, "rate"));
    rows.push(resultRow(large, result.large.workload, label, "rss"));
  }

  const failures = result.clients.flatMap((client) =>
    result.workloads.flatMap((workload) =>
      summarizeClient(result.measurements, workload, client.id).failures.map(
        (failure) => `- ${CLIENT_LABELS[client.id]}, ${workload.id}, ${failure}`,
      ),
    ),
  );

  const notes = [
    "Rates and peak RSS are medians over the rounds. A ratio is the median of the per-round",
    "ratios, with their range in brackets. Peak RSS is `process.resourceUsage().maxRSS` of the",
    "client's process, in MiB. nodemailer writes MAIL, every RCPT and DATA in one batch when the",
    "server lists PIPELINING, as this sink does, so its W2 figure is already pipelined; the",
    '"server without PIPELINING" column is nodemailer sending one command at a time. The ratio',
    "columns divide imnxport ISMTPTransport with its default options, which sends one command",
    "at a time; imnxport with PIPELINING writes MAIL and every RCPT together.",
  ].join("\n");
  const failed = failures.length === 0 ? "" : `\n\nFailed runs:\n\n${failures.join("\n")}`;
  return `${[header, align, ...rows].join("\n")}\n\n${notes}${failed}`;
}

/** Renders one row of medians (the rate or the peak RSS of every client) and imnxport's ratios. */
function resultRow(
  result: RunResult,
  workload: Workload,
  label: string,
  kind: "rate" | "rss",
): string {
  const value = kind === "rate" ? (m: Measurement) => rateOf(m, workload) : peakRssMiB;
  const cells = result.clients.map((client) => {
    if (!client.available) {
      return NOT_AVAILABLE;
    }
    const summary = summarizeClient(result.measurements, workload, client.id);
    const spread = kind === "rate" ? summary.rate : summary.peakRss;
    if (spread === null) {
      return cellForMissing(summary.failures);
    }
    if (kind === "rate") {
      return formatNumber(spread.median);
    }
    const median = spread.median.toFixed(1);
    return spread.count > 1 ? `${median} (max ${spread.max.toFixed(1)})` : median;
  });
  const ratios = ratioBaselines(result).map((baseline) =>
    formatRatio(
      sameRoundRatios(result.measurements, workload, "imnxport-legacy", baseline.client, value),
    ),
  );
  const metric = kind === "rate" ? workload.metric : "peak RSS MiB";
  return `| ${label} | ${metric} | ${[...cells, ...ratios].join(" | ")} |`;
}

function cellForMissing(failures: readonly string[]): string {
  return failures.length > 0 ? `failed (${failures.length})` : "—";
}

function renderTargets(result: RunResult): string {
  const rows = TARGETS.flatMap((target) => {
    const workload = result.workloads.find((w) => w.id === target.workload);
    if (workload === undefined) {
      return [];
    }
    const outcome = evaluateTarget(target, result.measurements, workload);
    const measured =
      outcome.measured === null
        ? "—"
        : target.kind === "rss-at-most"
          ? `${outcome.measured.toFixed(1)} MiB (highest of the rounds)`
          : `${outcome.measured.toFixed(2)}×`;
    return [`| ${target.text} | ${measured} | ${outcome.verdict} |`];
  });
  if (rows.length === 0) {
    return "";
  }
  return ["| target | measured | result |", "|---|--:|---|", ...rows].join("\n");
}

/** Renders the clients' own CPU time per message or per MiB, and imnxport's same-round ratios. */
function renderCpuCost(result: RunResult): string {
  const clients = result.clients.filter((c) => c.available);
  const baselines = ratioBaselines(result);
  const columns = [...clients.map((c) => CLIENT_LABELS[c.id]), ...baselines.map((b) => b.label)];
  const header = `| client CPU time | unit | ${columns.join(" | ")} |`;
  const align = `|---|---|${columns.map(() => "--:").join("|")}|`;
  const rows = result.workloads.map((workload) => {
    const cost = (m: Measurement) => cpuCost(m, workload);
    const cells = clients.map((client) => {
      const costs = result.measurements
        .filter((m) => m.ok && m.workload === workload.id && m.client === client.id)
        .map(cost);
      const spread = spreadOf(costs);
      return spread === null ? "—" : formatNumber(spread.median);
    });
    const ratios = baselines.map((baseline) =>
      formatRatio(
        sameRoundRatios(result.measurements, workload, "imnxport-legacy", baseline.client, cost),
      ),
    );
    const unit = workload.metric === "MiB/s" ? "ms per MiB" : "µs per message";
    return `| ${workload.id} | ${unit} | ${[...cells, ...ratios].join(" | ")} |`;
  });
  return [header, align, ...rows].join("\n");
}

/**
 * Renders the sink's CPU use while each client ran. Near 100% the single-threaded sink, not the client,
 * limits the rate.
 */
function renderSinkLoad(result: RunResult): string {
  const clients = result.clients.filter((c) => c.available);
  const header = `| sink CPU, % of one core | ${clients.map((c) => CLIENT_LABELS[c.id]).join(" | ")} |`;
  const align = `|---|${clients.map(() => "--:").join("|")}|`;
  const rows = result.workloads.map((workload) => {
    const cells = clients.map((client) => {
      const loads = result.measurements
        .filter((m) => m.ok && m.workload === workload.id && m.client === client.id)
        .map(sinkLoad)
        .filter((load) => load !== null);
      const spread = spreadOf(loads);
      return spread === null ? "—" : `${Math.round(spread.median * 100)}%`;
    });
    return `| ${workload.id} | ${cells.join(" | ")} |`;
  });
  return [header, align, ...rows].join("\n");
}

/** Renders every measurement's rate by round, so that a reader can see the noise behind the medians. */
function renderRounds(result: RunResult): string {
  const clients = result.clients.filter((c) => c.available);
  const header = `| round | workload | ${clients.map((c) => CLIENT_LABELS[c.id]).join(" | ")} |`;
  const align = `|--:|---|${clients.map(() => "--:").join("|")}|`;
  const rows: string[] = [];
  for (let round = 0; round < result.rounds; round += 1) {
    for (const workload of result.workloads) {
      const cells = clients.map((client) => {
        const m = result.measurements.find(
          (x) => x.round === round && x.workload === workload.id && x.client === client.id,
        );
        if (m === undefined) {
          return "—";
        }
        return m.ok ? formatNumber(rateOf(m, workload)) : "failed";
      });
      rows.push(`| ${round + 1} | ${workload.id} ${workload.metric} | ${cells.join(" | ")} |`);
    }
  }
  return [header, align, ...rows].join("\n");
}

function renderProfile(title: string, summary: ProfileSummary): string {
  const top = summary.top.map(
    (f) => `| ${f.selfMs.toFixed(0)} | ${(f.share * 100).toFixed(1)}% | \`${f.name}\` |`,
  );
  const origins = summary.byOrigin
    .map((o) => `${o.origin} ${(o.share * 100).toFixed(0)}%`)
    .join(", ");
  return [
    `#### ${title}`,
    "",
    `Busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms. By origin: ${origins}.`,
    "",
    "| self ms | share of busy | function |",
    "|--:|--:|---|",
    ...top,
  ].join("\n");
}

function formatLoad(load: readonly number[]): string {
  return load.map((value) => value.toFixed(2)).join(", ");
}

function formatNumber(value: number): string {
  if (value >= 100) {
    return Math.round(value).toLocaleString("en-US");
  }
  return value.toFixed(value >= 10 ? 1 : 2);
}

function formatRatio(ratio: Spread | null): string {
  if (ratio === null) {
    return "—";
  }
  if (ratio.count === 1) {
    return `${ratio.median.toFixed(2)}×`;
  }
  return `${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;
}
