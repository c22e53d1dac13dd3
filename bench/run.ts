/**
 * `npm run bench`: compiles the benchmark and src/ with tsc, starts discard SMTP sinks on
 * 127.0.0.1, and runs every client on every workload in its own child process, round after
 * round with the client order reversed each round. Prints a Markdown report on stdout and
 * progress on stderr. docs/benchmarks.md describes the workloads and the last results.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadClient } from "./clients/load.js";
import { CLIENT_LABELS, type ClientId } from "./clients/types.js";
import { summarizeProfile } from "./cpu-profile.js";
import { describeMachine } from "./machine.js";
import {
  COMPILED,
  compile,
  jobFor,
  killActiveChild,
  measure,
  REPOSITORY,
  runChild,
  type Sinks,
  startSinks,
  stopSinks,
} from "./measure.js";
import { type BenchOptions, parseOptions, USAGE } from "./options.js";
import { type RunResult, renderReport } from "./report.js";
import { LOOPBACK } from "./sink.js";
import { type Measurement, peakRssMiB, rateOf } from "./stats.js";
import { W3_LARGE, type Workload, workloadsFor } from "./workloads.js";

/** The clients run once on W3-1G after the rounds. */
const LARGE_STREAM_CLIENTS: readonly ClientId[] = ["imnxport-legacy", "nodemailer"];

/**
 * The runs that --profile records: imnxport on every workload with a target, and the other
 * clients on W1 and W3 for comparison.
 */
const PROFILED: readonly { client: ClientId; workload: string }[] = [
  { client: "imnxport-legacy", workload: "W1" },
  { client: "imnxport-legacy", workload: "W2" },
  { client: "imnxport-pipelined", workload: "W2" },
  { client: "imnxport-legacy", workload: "W3" },
  { client: "imnxport-legacy", workload: "W4" },
  { client: "nodemailer", workload: "W1" },
  { client: "nodemailer", workload: "W3" },
  { client: "raw-socket", workload: "W1" },
];

function describeMeasurement(m: Measurement, workload: Workload): string {
  if (!m.ok) {
    return `FAILED: ${m.error}`;
  }
  const rate = rateOf(m, workload);
  return `${rate.toFixed(rate >= 100 ? 0 : 1)} ${workload.metric}, ${(m.elapsedMs / 1000).toFixed(2)} s, peak RSS ${peakRssMiB(m).toFixed(1)} MiB`;
}

async function profile(sinks: Sinks, workloads: readonly Workload[], clients: readonly ClientId[]) {
  const directory = mkdtempSync(path.join(os.tmpdir(), "imnxport-bench-profile-"));
  const profiles: RunResult["profiles"] = [];
  try {
    for (const { client, workload: id } of PROFILED) {
      const workload = workloads.find((w) => w.id === id);
      if (workload === undefined || !clients.includes(client)) {
        continue;
      }

      const file = path.join(directory, `${client}-${workload.id}.cpuprofile`);
      process.stderr.write(`profile ${workload.id} ${client} … `);
      const report = await runChild({ ...jobFor(sinks, client, workload), cpuProfile: file });
      process.stderr.write(`${report.ok ? "done" : `FAILED: ${report.error}`}\n`);
      if (report.ok) {
        const summary = summarizeProfile(file, COMPILED, 12);
        const title = `${CLIENT_LABELS[client]} on ${workload.id}: ${workload.title}`;
        profiles.push({ title, summary });
      }
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return profiles;
}

async function benchmark(options: BenchOptions, sinks: Sinks): Promise<RunResult> {
  const started = Date.now();
  const loadAtStart = os.loadavg();
  const all = workloadsFor(options.quick);
  const workloads = options.workloads.map((id) => all[id]);
  const clients = await Promise.all(
    options.clients.map(async (id) => ({ id, available: (await loadClient(id)).available })),
  );
  const runnable = clients.filter((c) => c.available).map((c) => c.id);
  const measurements: Measurement[] = [];

  for (let round = 0; round < options.rounds; round += 1) {
    const order = round % 2 === 0 ? runnable : [...runnable].reverse();
    for (const workload of workloads) {
      for (const client of order) {
        const m = await measure(sinks, client, workload, round);
        measurements.push(m);
        process.stderr.write(
          `round ${round + 1}/${options.rounds} ${workload.id} ${client}: ${describeMeasurement(m, workload)}\n`,
        );
      }
    }
  }

  let large: RunResult["large"] = null;
  if (options.large && options.workloads.includes("W3")) {
    const largeRuns: Measurement[] = [];
    for (const client of LARGE_STREAM_CLIENTS.filter((id) => runnable.includes(id))) {
      const m = await measure(sinks, client, W3_LARGE, -1);
      largeRuns.push(m);
      process.stderr.write(`${W3_LARGE.id} ${client}: ${describeMeasurement(m, W3_LARGE)}\n`);
    }
    large = { workload: W3_LARGE, measurements: largeRuns };
  }

  const profiles = options.profile ? await profile(sinks, workloads, runnable) : [];
  return {
    machine: describeMachine(REPOSITORY),
    sink:
      sinks.withoutPipelining === null
        ? `${sinks.main.label} on ${LOOPBACK}`
        : `${sinks.main.label} on ${LOOPBACK}; a second instance without PIPELINING serves the "server without PIPELINING" column`,
    rounds: options.rounds,
    quick: options.quick,
    workloads,
    clients,
    measurements,
    large,
    profiles,
    durationSeconds: (Date.now() - started) / 1000,
    loadAverage: { start: loadAtStart, end: os.loadavg() },
  };
}

async function main(): Promise<number> {
  let options: BenchOptions | "help";
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  process.stderr.write("compiling bench/ and src/ with tsc …\n");
  compile();
  const sinks = await startSinks(options.sink, options.clients);
  const stop = (): void => {
    killActiveChild();
    void stopSinks(sinks).finally(() => process.exit(130));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.stderr.write(`sink: ${sinks.main.label} on ${LOOPBACK}:${sinks.main.port}\n`);

  let result: RunResult;
  try {
    result = await benchmark(options, sinks);
  } finally {
    await stopSinks(sinks);
  }

  const report = renderReport(result);
  process.stdout.write(report);
  if (options.markdown !== null) {
    writeFileSync(options.markdown, report);
  }
  if (options.json !== null) {
    writeFileSync(options.json, `${JSON.stringify(result, null, 2)}\n`);
  }

  const failed = [...result.measurements, ...(result.large?.measurements ?? [])].some((m) => !m.ok);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
