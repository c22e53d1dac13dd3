import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** The machine and software a run measured, for the report. */
export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  npm: string;
  imnxport: string;
  packages: Record<string, string>;
}

/** Packages whose versions the report lists. */
const REPORTED_PACKAGES = ["nodemailer", "smtp-server", "typescript", "tsx"];

export function describeMachine(repositoryRoot: string): MachineInfo {
  const packages: Record<string, string> = {};
  for (const name of REPORTED_PACKAGES) {
    packages[name] = packageVersion(repositoryRoot, name);
  }

  return {
    date: new Date().toISOString(),
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    npm: npmVersion(),
    imnxport: imnxportVersion(repositoryRoot),
    packages,
  };
}

/** Reads the CPU model from /proc/cpuinfo on Linux, else from os.cpus(). */
function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match?.[1] !== undefined) {
      return match[1].trim();
    }
  } catch {
    // Not Linux: fall back to os.cpus().
  }
  return os.cpus()[0]?.model ?? "unknown";
}

function npmVersion(): string {
  const agent = /npm\/(\S+)/.exec(process.env.npm_config_user_agent ?? "");
  if (agent?.[1] !== undefined) {
    return agent[1];
  }
  const query = spawnSync("npm", ["--version"], { encoding: "utf8" });
  return query.status === 0 ? query.stdout.trim() : "unknown";
}

export function packageVersion(repositoryRoot: string, name: string): string {
  try {
    const file = path.join(repositoryRoot, "node_modules", name, "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

/** The package version, the commit, and whether src/ has uncommitted changes. */
function imnxportVersion(repositoryRoot: string): string {
  const own = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
    version: string;
  };
  const git = (args: string[]): string | null => {
    const query = spawnSync("git", args, { cwd: repositoryRoot, encoding: "utf8" });
    return query.status === 0 ? query.stdout.trim() : null;
  };

  const commit = git(["rev-parse", "--short", "HEAD"]);
  const changed = git(["status", "--porcelain", "--", "src"]);
  const state = changed === null || changed === "" ? "" : " with uncommitted changes in src/";
  return `${own.version} (commit ${commit ?? "unknown"}${state})`;
}
