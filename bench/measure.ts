import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildJob, ChildReport } from "./child.js";
import { type ClientId, usesSinkWithoutPipelining } from "./clients/types.js";
import { packageVersion } from "./machine.js";
import { LOOPBACK, type Sink, type SinkKind, startSink } from "./sink.js";
import type { Measurement } from "./stats.js";
import type { Workload } from "./workloads.js";

export const REPOSITORY = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
/** tsc's output for bench/ and src/, run by plain node so that no child loads tsx. */
export const COMPILED = path.join(REPOSITORY, "node_modules", ".cache", "imnxport-bench");
const CHILD_SCRIPT = path.join(COMPILED, "bench", "child.js");
/** Time the sink gets to count a client's messages after the client's process exited. */
const SINK_COUNT_WAIT_MS = 5000;

let activeChild: ChildProcess | null = null;

/**
 * Compiles bench/ and src/ with bench/tsconfig.json into COMPILED, marked as ESM for Node.
 * Children run this JavaScript with plain node: tsx would add about 30 MiB to every peak RSS.
 */
export function compile(): void {
  const tsc = path.join(REPOSITORY, "node_modules", "typescript", "bin", "tsc");
  const build = spawnSync(process.execPath, [tsc, "-p", path.join("bench", "tsconfig.json")], {
    cwd: REPOSITORY,
    stdio: "inherit",
  });
  // tsc still writes every file when it finds type errors, so a src/ change in progress can be
  // measured. A child whose code fails at run time shows up as a failed run in the table.
  if (build.status !== 0 && !existsSync(CHILD_SCRIPT)) {
    throw new Error(`tsc -p bench/tsconfig.json failed with exit code ${build.status}`);
  }
  if (build.status !== 0) {
    process.stderr.write(
      "warning: tsc reported errors (above); measuring the emitted JavaScript\n",
    );
  }
  writeFileSync(path.join(COMPILED, "package.json"), '{ "type": "module" }\n');
}

/** The discard sinks of a run: the main one, and one without PIPELINING when a client needs it. */
export interface Sinks {
  main: Sink;
  withoutPipelining: Sink | null;
}

export async function startSinks(prefer: SinkKind | "auto", clients: readonly ClientId[]) {
  const common = {
    prefer,
    discardServerScript: path.join(COMPILED, "bench", "discard-server.js"),
    smtpServerVersion: packageVersion(REPOSITORY, "smtp-server"),
  };
  const main = await startSink({ ...common, pipelining: true });
  let withoutPipelining: Sink | null = null;
  if (clients.some(usesSinkWithoutPipelining)) {
    try {
      withoutPipelining = await startSink({ ...common, pipelining: false });
    } catch (error) {
      await main.stop();
      throw error;
    }
  }
  return { main, withoutPipelining } satisfies Sinks;
}

export async function stopSinks(sinks: Sinks): Promise<void> {
  await Promise.all([sinks.main.stop(), sinks.withoutPipelining?.stop()]);
}

/** Kills the child being measured, if any, when the benchmark is interrupted by a signal. */
export function killActiveChild(): void {
  activeChild?.kill("SIGKILL");
}

function sinkFor(sinks: Sinks, client: ClientId): Sink {
  return usesSinkWithoutPipelining(client) ? (sinks.withoutPipelining ?? sinks.main) : sinks.main;
}

export function jobFor(sinks: Sinks, client: ClientId, workload: Workload): ChildJob {
  return { client, workload, host: LOOPBACK, port: sinkFor(sinks, client).port };
}

/** Returns the time limit for one child, generous so that only a hung client reaches it. */
function childTimeoutMs(workload: Workload): number {
  return 60_000 + workload.messages * 20 + (workload.streamBytes / (2 * 1024 * 1024)) * 1000;
}

function failedReport(job: ChildJob, error: string): ChildReport {
  const base = { client: job.client, workload: job.workload.id, ok: false, error };
  return { ...base, elapsedMs: 0, cpuMs: 0, messages: 0, bytes: 0, peakRssKiB: 0, startRssKiB: 0 };
}

/** Runs one child process and returns its report; never rejects. */
export function runChild(job: ChildJob): Promise<ChildReport> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD_SCRIPT, JSON.stringify(job)], {
      cwd: REPOSITORY,
      stdio: ["ignore", "pipe", "pipe"],
    });
    activeChild = child;
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });

    const limit = childTimeoutMs(job.workload);
    const timer = setTimeout(() => child.kill("SIGKILL"), limit);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      activeChild = null;
      const line = stdout.trim().split("\n").at(-1) ?? "";
      try {
        resolve(JSON.parse(line) as ChildReport);
      } catch {
        const reason =
          signal === "SIGKILL" ? `timed out after ${limit / 1000} s` : `exit code ${code}`;
        const detail = stderr.trim().slice(0, 500);
        resolve(failedReport(job, `child process failed (${reason}): ${detail}`));
      }
    });
  });
}

/** Runs one measurement and checks it against the sink's own message counter. */
export async function measure(
  sinks: Sinks,
  client: ClientId,
  workload: Workload,
  round: number,
): Promise<Measurement> {
  const sink = sinkFor(sinks, client);
  const before = sink.messages();
  const cpuBefore = sink.cpuMs();
  const report = await runChild(jobFor(sinks, client, workload));
  const cpuAfter = sink.cpuMs();
  const expected = before + report.messages;
  if (report.ok && !(await sink.waitForMessages(expected, SINK_COUNT_WAIT_MS))) {
    report.ok = false;
    report.error = `the client reported ${report.messages} messages, the sink counted ${sink.messages() - before}`;
  }
  const sinkCpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  return { ...report, round, sinkCpuMs };
}
