import { readFileSync } from "node:fs";
import { runDemo } from "./demo-command.js";
import { runExplain } from "./explain-command.js";
import type { CliIo } from "./io.js";
import { parseSendArguments, runSend } from "./send-command.js";
import { EXIT_OK, EXIT_USAGE, USAGE, UsageError } from "./usage.js";

/**
 * Run the `imnxport` command line and return its exit code. Invalid arguments print one line
 * and the usage on standard error and return 2; they never print a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case undefined:
        throw new UsageError("Missing command");
      case "help":
      case "--help":
      case "-h":
        io.stdout.write(USAGE);
        return EXIT_OK;
      case "--version":
        io.stdout.write(`${packageVersion()}\n`);
        return EXIT_OK;
      case "demo":
        return await runDemo(args, io);
      case "send":
        return await runSend(parseSendArguments(args), io);
      case "explain":
        return runExplain(args, io);
      default:
        throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (!isUsageError(error)) {
      throw error;
    }

    io.stderr.write(`imnxport: ${firstSentence(error.message)}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
}

/** UsageError, or the error `util.parseArgs` throws for an unknown or malformed option. */
function isUsageError(error: unknown): error is Error {
  if (error instanceof UsageError) {
    return true;
  }

  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

/** Cut parseArgs's advice about positional arguments that start with "-", after the first sentence. */
function firstSentence(message: string): string {
  const end = message.indexOf(". ");
  return end < 0 ? message : message.slice(0, end + 1);
}

/** The version in package.json, two folders up from both src/cli and dist/cli. */
function packageVersion(): string {
  const file = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}
