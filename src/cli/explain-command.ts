import { parseArgs } from "node:util";
import { formatHresult } from "../compat/names.js";
import { describeWinsockError } from "../compat/winsock.js";
import {
  EXPLANATIONS,
  findExplanation,
  formatExplanation,
  parseHresultQuery,
} from "./explanations.js";
import type { CliIo } from "./io.js";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "./usage.js";

/** Run `imnxport explain CODE` or `imnxport explain --list`. */
export function runExplain(args: readonly string[], io: CliIo): number {
  // parseArgs would take the signed form of an HRESULT (-2146644871) for an option.
  const signed = args.filter((arg) => /^-\d+$/.test(arg));
  const parsed = parseArgs({
    args: args.filter((arg) => !signed.includes(arg)),
    allowPositionals: true,
    options: { list: { type: "boolean" } },
  });
  const values = parsed.values;
  const positionals = [...signed, ...parsed.positionals];

  if (values.list === true) {
    if (positionals.length > 0) {
      throw new UsageError("explain --list takes no CODE");
    }
    for (const entry of EXPLANATIONS) {
      io.stdout.write(`${formatHresult(entry.value)}  ${entry.name}\n`);
    }
    return EXIT_OK;
  }

  const [text, ...rest] = positionals;
  if (text === undefined || rest.length > 0) {
    throw new UsageError(
      text === undefined ? "Missing CODE: explain needs one HRESULT" : "explain takes one CODE",
    );
  }

  const query = parseHresultQuery(text);
  if (query === null) {
    throw new UsageError(
      `Invalid CODE ${JSON.stringify(text)}: expected a value such as 0x800CCC79 or a name such as IXP_E_TIMEOUT`,
    );
  }

  const value = query.kind === "value" ? query.value : null;
  const socketError = value === null ? undefined : describeWinsockError(value);
  if (socketError !== undefined) {
    io.stdout.write(
      `Socket error ${value}: ${socketError}.\n` +
        "It is a Winsock error number, shown beside the HRESULT (usually 0x800CCC0E or 0x800CCC0F).\n",
    );
    return EXIT_OK;
  }

  const entry = findExplanation(query);
  if (entry === undefined) {
    const shown = query.kind === "value" ? formatHresult(query.value) : query.name;
    io.stderr.write(
      `Unknown HRESULT ${shown}: imnxport does not define it; \`imnxport explain --list\` lists the codes it does.\n`,
    );
    return EXIT_FAILURE;
  }

  io.stdout.write(formatExplanation(entry));
  return EXIT_OK;
}
