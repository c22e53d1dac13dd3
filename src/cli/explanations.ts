import { formatHresult } from "../compat/names.js";
import { GENERAL_EXPLANATIONS } from "./explanations-general.js";
import { SMTP_EXPLANATIONS } from "./explanations-smtp.js";

/**
 * The meaning of an HRESULT and what to do about it, an entry of the table behind `imnxport explain` and the
 * error code reference page (docs/errors.md) of the documentation.
 */
export interface Explanation {
  /** The IDL or winerror.h name. */
  name: string;
  /** The unsigned 32-bit value. */
  value: number;
  /** The meaning, as the code's doc comment in the source states it. */
  meaning: string;
  /** When imnxport (and, where known, Outlook Express) reports it. */
  when: string;
  /** The usual fix. */
  fix: string;
}

/** Every HRESULT that imnxport defines, in the order of its source: standard, general, SMTP. */
export const EXPLANATIONS: readonly Explanation[] = [...GENERAL_EXPLANATIONS, ...SMTP_EXPLANATIONS];

/** Second names that share a value with a name in the table. */
export const ALIASES: Readonly<Record<string, string>> = {
  NOERROR: "S_OK",
  IXP_E_SCOKET_INIT_ERROR: "IXP_E_SOCKET_INIT_ERROR",
};

const BY_NAME = new Map(EXPLANATIONS.map((entry) => [entry.name, entry]));
const BY_VALUE = new Map(EXPLANATIONS.map((entry) => [entry.value >>> 0, entry]));

/** A parsed `explain` argument: an HRESULT name or value. */
export type HresultQuery = { kind: "name"; name: string } | { kind: "value"; value: number };

/**
 * Parse an HRESULT as users type it: a name (`ixp_e_timeout` too), hex with `0x`
 * (`0x800CCC79`), eight hex digits without it (`800CCC79`), or decimal in the unsigned or the
 * signed form (`-2146644871`). Returns null for anything else.
 */
export function parseHresultQuery(text: string): HresultQuery | null {
  const input = text.trim();
  if (/^[A-Za-z][A-Za-z0-9_]*$/.test(input) && !/^[0-9A-Fa-f]{8}$/.test(input)) {
    return { kind: "name", name: input.toUpperCase() };
  }

  const hex = /^(?:0x)?([0-9A-Fa-f]{1,8})$/.exec(input);
  if (hex !== null && (input.toLowerCase().startsWith("0x") || input.length === 8)) {
    return { kind: "value", value: Number.parseInt(hex[1] ?? "", 16) >>> 0 };
  }

  if (/^-?\d{1,10}$/.test(input)) {
    const value = Number(input);
    if (value >= -0x80000000 && value <= 0xffffffff) {
      return { kind: "value", value: value >>> 0 };
    }
  }

  return null;
}

/** Find the explanation of a name (or alias) or a value; undefined when imnxport has none. */
export function findExplanation(query: HresultQuery): Explanation | undefined {
  if (query.kind === "value") {
    return BY_VALUE.get(query.value);
  }

  return BY_NAME.get(ALIASES[query.name] ?? query.name);
}

/**
 * Codes whose low 16 bits equal this one's while the severity differs (0x000CCC79 and
 * 0x800CCC79), which code that compares HRESULT_CODE() confuses.
 */
export function lookalikes(entry: Explanation): Explanation[] {
  return EXPLANATIONS.filter(
    (other) =>
      other.value !== entry.value &&
      (other.value & 0xffff) === (entry.value & 0xffff) &&
      ((other.value >>> 16) & 0x1fff) === ((entry.value >>> 16) & 0x1fff),
  );
}

/** Format the explanation as `imnxport explain` prints it, wrapped to `width` columns. */
export function formatExplanation(entry: Explanation, width = 100): string {
  const severity = entry.value >>> 31 === 1 ? "failure" : "success";
  const lines = [
    `${entry.name} = ${formatHresult(entry.value)} (${severity})`,
    "",
    ...wrap("Meaning: ", entry.meaning, width),
    ...wrap("When:    ", entry.when, width),
    ...wrap("Fix:     ", entry.fix, width),
  ];
  const unmentioned = lookalikes(entry).filter((other) => !entry.meaning.includes(other.name));
  for (const other of unmentioned) {
    lines.push(
      "",
      ...wrap(
        "Caution: ",
        `Not to be confused with ${other.name} = ${formatHresult(other.value)}; only the severity bit differs.`,
        width,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Word-wrap `text` after `label`, indenting continuation lines by the label's width. */
function wrap(label: string, text: string, width: number): string[] {
  const indent = " ".repeat(label.length);
  const lines: string[] = [];
  let line = label;
  for (const word of text.split(/\s+/)) {
    const fresh = line === label || line === indent;
    if (!fresh && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line = fresh ? line + word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}
