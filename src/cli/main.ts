#!/usr/bin/env node
/**
 * The `imnxport` command: `demo`, `send` and `explain`. Exit codes: 0 success, 1 the command
 * failed, 2 invalid arguments.
 *
 * @module
 */
import { runCli } from "./run.js";

// A reader that stops early (`imnxport explain --list | head`) closes the pipe: stop quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") {
    process.exit(0);
  }
  throw error;
});

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`imnxport: unexpected error: ${reason}\n`);
    process.exitCode = 1;
  },
);
