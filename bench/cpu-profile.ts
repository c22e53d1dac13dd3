import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The parts of V8's .cpuprofile format (written by `node --cpu-prof`) that are read here. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function, summed over every call site in the profile. */
export interface FunctionCost {
  /** `file:function`, with the file relative to the repository or package. */
  name: string;
  selfMs: number;
  /** Share of the profile's time outside `(idle)`. */
  share: number;
}

/** The busy and idle totals of a profile and its top functions by self time. */
export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  top: FunctionCost[];
  /** Self time grouped by origin: imnxport, nodemailer, the bench itself, Node internals, GC, … */
  byOrigin: { origin: string; selfMs: number; share: number }[];
}

/**
 * Summarizes a .cpuprofile by self time. Each sample's time is its `timeDeltas` entry, the
 * interval since the previous sample, as Chrome DevTools counts it.
 */
export function summarizeProfile(
  file: string,
  compiledRoot: string,
  limit: number,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const nameOf = new Map<number, string>();
  for (const node of profile.nodes) {
    nameOf.set(node.id, displayName(node.callFrame, compiledRoot));
  }

  const selfUs = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const name = nameOf.get(profile.samples[i] as number) ?? "(unknown)";
    const delta = Math.max(0, profile.timeDeltas[i] ?? 0);
    selfUs.set(name, (selfUs.get(name) ?? 0) + delta);
  }

  const idleUs = selfUs.get("(idle)") ?? 0;
  selfUs.delete("(idle)");
  const busyUs = [...selfUs.values()].reduce((sum, value) => sum + value, 0);

  const top = [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / busyUs }));

  const origins = new Map<string, number>();
  for (const [name, us] of selfUs) {
    const origin = originOf(name);
    origins.set(origin, (origins.get(origin) ?? 0) + us);
  }
  const byOrigin = [...origins.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([origin, us]) => ({ origin, selfMs: us / 1000, share: us / busyUs }));

  return { busyMs: busyUs / 1000, idleMs: idleUs / 1000, top, byOrigin };
}

/** `file:function` for a call frame; V8's own nodes such as `(garbage collector)` stay as named. */
function displayName(
  frame: { functionName: string; url: string; lineNumber: number },
  compiledRoot: string,
): string {
  const functionName = frame.functionName === "" ? "(anonymous)" : frame.functionName;
  if (frame.url === "") {
    return functionName.startsWith("(") ? functionName : `(native) ${functionName}`;
  }
  return `${shortFile(frame.url, compiledRoot)}:${functionName}`;
}

/**
 * Shortens a script URL to a file name a reader can find: the TypeScript source for the compiled bench and src files,
 * the path inside node_modules for packages, and node:… for Node's own modules.
 */
function shortFile(url: string, compiledRoot: string): string {
  if (!url.startsWith("file:")) {
    return url;
  }

  const file = fileURLToPath(url);
  if (file.startsWith(`${compiledRoot}/`)) {
    return file.slice(compiledRoot.length + 1).replace(/\.js$/, ".ts");
  }

  const packageAt = file.lastIndexOf("/node_modules/");
  return packageAt === -1 ? file : file.slice(packageAt + "/node_modules/".length);
}

function originOf(name: string): string {
  if (name.startsWith("src/")) {
    return "imnxport (src/)";
  }
  if (name.startsWith("bench/")) {
    return "benchmark harness (bench/)";
  }
  if (name.startsWith("nodemailer/")) {
    return "nodemailer";
  }
  if (name.startsWith("node:")) {
    return "Node.js library (node:*)";
  }
  if (name === "(garbage collector)") {
    return "garbage collector";
  }
  if (name === "(program)") {
    return "V8 and libuv outside JavaScript (program)";
  }
  return "native and other";
}
