import { parseArgs } from "node:util";
import { CLIENT_IDS, type ClientId } from "./clients/types.js";
import type { SinkKind } from "./sink.js";
import { WORKLOAD_IDS, type WorkloadId } from "./workloads.js";

export interface BenchOptions {
  rounds: number;
  quick: boolean;
  workloads: WorkloadId[];
  clients: ClientId[];
  sink: SinkKind | "auto";
  /** Run W3 once at 1 GiB after the rounds. */
  large: boolean;
  profile: boolean;
  json: string | null;
  markdown: string | null;
}

export const USAGE = `Usage: npm run bench -- [options]

Sends the same workloads through imnxport, nodemailer's SMTPConnection and a raw socket client
to a discard SMTP server on 127.0.0.1, and prints medians and same-round ratios.

Options:
  --rounds N        rounds to run, 1 to 100 (default 10, or 2 with --quick)
  --quick           small sizes for a smoke run (about 30 s)
  --only LIST       workloads to run, comma-separated (default W1,W2,W3,W4)
  --clients LIST    clients to run, comma-separated (default: all)
                    (${CLIENT_IDS.join(", ")})
  --sink KIND       auto, smtp-sink or smtp-server (default auto: smtp-sink when installed)
  --no-1g           skip the single 1 GiB W3 run that follows a full run
  --profile         also profile imnxport and nodemailer on W1 and W3 with node --cpu-prof
  --json FILE       write every measurement as JSON to FILE
  --markdown FILE   write the report as Markdown to FILE
  --help            print this help`;

/** Parses the command line; throws a TypeError with the reason for invalid arguments. */
export function parseOptions(argv: readonly string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      rounds: { type: "string" },
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      clients: { type: "string" },
      sink: { type: "string", default: "auto" },
      "no-1g": { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      json: { type: "string" },
      markdown: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });

  if (values.help) {
    return "help";
  }

  const quick = values.quick;
  const defaultRounds = quick ? 2 : 10;
  const rounds = values.rounds === undefined ? defaultRounds : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) {
    throw new TypeError(`Invalid --rounds ${JSON.stringify(values.rounds)}; use 1 to 100`);
  }

  const sink = values.sink;
  if (sink !== "auto" && sink !== "smtp-sink" && sink !== "smtp-server") {
    throw new TypeError(
      `Invalid --sink ${JSON.stringify(sink)}; use auto, smtp-sink or smtp-server`,
    );
  }

  return {
    rounds,
    quick,
    workloads: parseList(values.only, WORKLOAD_IDS, "--only"),
    clients: parseList(values.clients, CLIENT_IDS, "--clients"),
    sink,
    large: !quick && !values["no-1g"],
    profile: values.profile,
    json: values.json ?? null,
    markdown: values.markdown ?? null,
  };
}

function parseList<T extends string>(
  value: string | undefined,
  known: readonly T[],
  flag: string,
): T[] {
  if (value === undefined) {
    return [...known];
  }

  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !known.includes(name as T));
  if (names.length === 0 || unknown.length > 0) {
    throw new TypeError(
      `Invalid ${flag} ${JSON.stringify(value)}; choose from ${known.join(", ")}`,
    );
  }
  // Keep the table's order whatever order the list gave.
  return known.filter((name) => names.includes(name));
}
