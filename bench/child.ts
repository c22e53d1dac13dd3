/**
 * One measurement: a child process that runs one client on one workload over one connection
 * and prints a ChildReport as one JSON line on stdout. The orchestrator (run.ts) starts one per
 * client, workload and round, so JIT warm-up, heap growth and peak RSS are each client's own.
 *
 * Usage: node child.js '<ChildJob as JSON>'
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import { loadClient } from "./clients/load.js";
import type { ClientId, SendPlan } from "./clients/types.js";
import { buildMessage } from "./content.js";
import type { Workload } from "./workloads.js";

export interface ChildJob {
  client: ClientId;
  workload: Workload;
  host: string;
  port: number;
  /** When set, a V8 CPU profile of the measured part only is written to this file. */
  cpuProfile?: string;
}

/** The sampling interval of `cpuProfile`, in microseconds. */
const PROFILE_INTERVAL_US = 250;

export interface ChildReport {
  client: ClientId;
  workload: string;
  ok: boolean;
  /** The failure when `ok` is false. */
  error?: string;
  /** From just before the connect until the connection closed after QUIT. */
  elapsedMs: number;
  /** Messages the server accepted. */
  messages: number;
  /** Message bytes handed to the client (before dot-stuffing), summed over all messages. */
  bytes: number;
  /** User plus system CPU time of the client process during the send, in ms. */
  cpuMs: number;
  /** process.resourceUsage().maxRSS at the end, in KiB. */
  peakRssKiB: number;
  /** RSS just before the connect, in KiB. */
  startRssKiB: number;
}

async function main(): Promise<void> {
  const argument = process.argv[2];
  if (argument === undefined) {
    throw new Error("Missing job argument: pass a ChildJob as JSON");
  }

  const job = JSON.parse(argument) as ChildJob;
  const workload = job.workload;
  const client = await loadClient(job.client);
  const plan: SendPlan = {
    host: job.host,
    port: job.port,
    count: workload.messages,
    recipientsPerMessage: workload.recipients,
    body: workload.streamBytes > 0 ? null : buildMessage(workload.messageBytes, workload.dotLines),
    streamBytes: workload.streamBytes,
  };
  const messageBytes = workload.streamBytes > 0 ? workload.streamBytes : workload.messageBytes;

  const profiler = job.cpuProfile === undefined ? null : await startProfiler();
  const startRssKiB = Math.round(process.memoryUsage().rss / 1024);
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  let messages = 0;
  let error: string | undefined;
  try {
    messages = await client.send(plan);
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  if (profiler !== null && job.cpuProfile !== undefined) {
    const { profile } = await profiler.post("Profiler.stop");
    writeFileSync(job.cpuProfile, JSON.stringify(profile));
    profiler.disconnect();
  }

  const report: ChildReport = {
    client: job.client,
    workload: workload.id,
    ok: error === undefined && messages === workload.messages,
    elapsedMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    messages,
    bytes: messages * messageBytes,
    peakRssKiB: process.resourceUsage().maxRSS,
    startRssKiB,
  };
  if (error !== undefined) {
    report.error = error;
  } else if (!report.ok) {
    report.error = `The server accepted ${messages} of ${workload.messages} messages`;
  }

  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}

/**
 * Starts the V8 sampling profiler through the inspector, so the profile covers the send alone
 * and not the process start and module loading that `node --cpu-prof` would include.
 */
async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: PROFILE_INTERVAL_US });
  await session.post("Profiler.start");
  return session;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 2;
});
