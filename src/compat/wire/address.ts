import { isIP } from "node:net";

/** RFC 5321 §4.5.3.1.1: a local part is at most 64 octets. */
export const MAX_LOCAL_PART_OCTETS = 64;
/** RFC 5321 §4.5.3.1.2: a domain is at most 255 octets. */
export const MAX_DOMAIN_OCTETS = 255;
/** RFC 5321 §4.5.3.1.3: a path, angle brackets included, is at most 256 octets. */
export const MAX_PATH_OCTETS = 256;
/** RFC 4422 §3.1: a SASL mechanism name is at most 20 characters. */
export const MAX_SASL_MECHANISM_CHARS = 20;
/** RFC 3461 §4.4: an ENVID value is at most 100 characters before xtext encoding. */
export const MAX_ENVID_CHARS = 100;

/**
 * Result of an argument check. `reason` describes the problem without repeating the argument,
 * because the argument may contain control characters or a secret.
 */
export type CheckFailure = { ok: false; reason: string };
export type MailboxCheck = { ok: true; mailbox: string } | CheckFailure;
export type EhloNameCheck = { ok: true; name: string } | CheckFailure;
export type SaslMechanismCheck = { ok: true; mechanism: string } | CheckFailure;
export type EnvidCheck = { ok: true; envid: string } | CheckFailure;

export interface MailboxOptions {
  /** Allow non-ASCII characters (UTF-8 on the wire), for servers that offer SMTPUTF8 (RFC 6531). */
  allowUtf8?: boolean;
}

// C0 controls (CR, LF and NUL included), DEL and the C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to find control characters.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const NON_ASCII = /[\u0080-\uffff]/;
const LONE_SURROGATE = /\p{Surrogate}/u;
/** RFC 5321 §4.1.2 atext: letters, digits and these symbols. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]$/;
const LDH_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const SASL_MECHANISM = /^[A-Z0-9_-]+$/;

/**
 * Checks an envelope address for MAIL FROM or RCPT TO (RFC 5321 §4.1.2) and returns it without
 * angle brackets. It accepts `a@b` or `<a@b>`. It rejects control characters, display names,
 * comments, spaces outside a quoted local part, and addresses over the RFC 5321 size limits
 * (counted in UTF-8 octets). A quoted local part is accepted when it is valid, because the
 * caller puts it inside one pair of brackets, where `>` or a space in quotes cannot end the
 * address.
 */
export function checkMailbox(input: string, options: MailboxOptions = {}): MailboxCheck {
  const textProblem = findTextProblem(input, options.allowUtf8 === true);
  if (textProblem !== null) {
    return fail(textProblem);
  }

  let mailbox = input;
  if (input.startsWith("<")) {
    if (input.length < 2 || !input.endsWith(">")) {
      return fail("the address starts with '<' but does not end with '>'");
    }
    mailbox = input.slice(1, -1);
  } else if (input.endsWith(">")) {
    return fail(
      input.includes("<")
        ? "the address has a display name, but only the address may be passed, as a@b or <a@b>"
        : "the address ends with '>' but does not start with '<'",
    );
  }

  if (mailbox === "") {
    return fail("the address is empty");
  }

  const localEnd = findLocalPartEnd(mailbox, options.allowUtf8 === true);
  if (typeof localEnd === "string") {
    return fail(localEnd);
  }

  const localOctets = Buffer.byteLength(mailbox.slice(0, localEnd), "utf8");
  if (localOctets > MAX_LOCAL_PART_OCTETS) {
    return fail(
      `the local part is ${localOctets} octets long, but RFC 5321 allows at most ` +
        `${MAX_LOCAL_PART_OCTETS}`,
    );
  }

  const domainProblem = findDomainProblem(mailbox.slice(localEnd + 1), options.allowUtf8 === true);
  if (domainProblem !== null) {
    return fail(domainProblem);
  }

  const pathOctets = Buffer.byteLength(mailbox, "utf8") + 2;
  if (pathOctets > MAX_PATH_OCTETS) {
    return fail(
      `the path <address> is ${pathOctets} octets long, but RFC 5321 allows at most ` +
        `${MAX_PATH_OCTETS}`,
    );
  }
  return { ok: true, mailbox };
}

/**
 * Checks a MAIL FROM reverse path. Like {@link checkMailbox}, and it also accepts the null
 * reverse path `<>` or `""` (returned as an empty mailbox), which bounces use (RFC 5321 §4.5.5).
 */
export function checkReversePath(input: string, options: MailboxOptions = {}): MailboxCheck {
  if (input === "" || input === "<>") {
    return { ok: true, mailbox: "" };
  }
  return checkMailbox(input, options);
}

/**
 * Checks the argument of EHLO or HELO: a domain name or an address literal such as
 * `[192.0.2.7]` or `[IPv6:2001:db8::7]` (RFC 5321 §4.1.1.1), ASCII only, at most 255 octets.
 */
export function checkEhloName(name: string): EhloNameCheck {
  const textProblem = findTextProblem(name, false);
  if (textProblem !== null) {
    return fail(textProblem);
  }

  const domainProblem = findDomainProblem(name, false);
  if (domainProblem !== null) {
    return fail(domainProblem);
  }
  return { ok: true, name };
}

/**
 * Checks a SASL mechanism name for AUTH: 1 to 20 uppercase letters, digits, `-` or `_`
 * (RFC 4422 §3.1).
 */
export function checkSaslMechanism(name: string): SaslMechanismCheck {
  if (typeof name !== "string" || name === "") {
    return fail("the mechanism name is empty");
  }
  if (name.length > MAX_SASL_MECHANISM_CHARS) {
    return fail(
      `the mechanism name has ${name.length} characters, but RFC 4422 allows at most ` +
        `${MAX_SASL_MECHANISM_CHARS}`,
    );
  }
  if (!SASL_MECHANISM.test(name)) {
    return fail(
      "the mechanism name may contain only uppercase letters A-Z, digits, '-' and '_' " +
        "(for example PLAIN or CRAM-MD5)",
    );
  }
  return { ok: true, mechanism: name };
}

/**
 * Checks a DSN envelope identifier for the ENVID parameter of MAIL: 1 to 100 printable ASCII
 * characters, spaces included (RFC 3461 §4.4). The caller xtext-encodes it.
 */
export function checkEnvid(value: string): EnvidCheck {
  if (typeof value !== "string" || value === "") {
    return fail("the envelope identifier is empty");
  }
  if (value.length > MAX_ENVID_CHARS) {
    return fail(
      `the envelope identifier has ${value.length} characters, but RFC 3461 allows at most ` +
        `${MAX_ENVID_CHARS}`,
    );
  }
  if (!/^[\u0020-\u007e]+$/.test(value)) {
    return fail("the envelope identifier may contain only printable ASCII characters and spaces");
  }
  return { ok: true, envid: value };
}

/**
 * Formats an IP address as an RFC 5321 §4.1.3 address literal: `[192.0.2.7]` or
 * `[IPv6:2001:db8::7]`. An IPv4-mapped IPv6 address (`::ffff:192.0.2.7`, as Node reports local
 * addresses of dual-stack sockets) becomes the IPv4 literal, and a zone id (`%eth0`) is dropped.
 *
 * @throws TypeError when `ip` is not an IP address.
 */
export function formatAddressLiteral(ip: string): string {
  const address = ip.split("%")[0] ?? "";
  const family = isIP(address);
  if (family === 4) {
    return `[${address}]`;
  }
  if (family === 6) {
    const mapped = unwrapMappedIpv4(address);
    return mapped === null ? `[IPv6:${address.toLowerCase()}]` : `[${mapped}]`;
  }
  throw new TypeError(`Invalid IP address ${JSON.stringify(ip)}: expected IPv4 or IPv6.`);
}

function fail(reason: string): CheckFailure {
  return { ok: false, reason };
}

/** Finds control characters and, unless UTF-8 is allowed, non-ASCII characters. */
function findTextProblem(input: string, allowUtf8: boolean): string | null {
  if (typeof input !== "string") {
    return "the value is not a string";
  }

  const control = CONTROL_CHARACTER.exec(input);
  if (control !== null) {
    const codePoint = (control[0].codePointAt(0) as number).toString(16).toUpperCase();
    return (
      `the value contains the control character U+${codePoint.padStart(4, "0")} at index ` +
      `${control.index}, but CR, LF, NUL, other control characters and DEL are not allowed`
    );
  }

  if (!allowUtf8 && NON_ASCII.test(input)) {
    return "the value contains non-ASCII characters, which need the SMTPUTF8 extension";
  }
  if (LONE_SURROGATE.test(input)) {
    return "the value contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding";
  }
  return null;
}

/**
 * Returns the index of the `@` that ends the local part (RFC 5321 §4.1.2 Dot-string or
 * Quoted-string), or a reason when the local part is invalid.
 */
function findLocalPartEnd(mailbox: string, allowUtf8: boolean): number | string {
  if (mailbox.startsWith('"')) {
    return findQuotedLocalPartEnd(mailbox);
  }

  const at = mailbox.indexOf("@");
  if (at === -1) {
    return "the address has no '@'";
  }
  if (at === 0) {
    return "the local part before '@' is empty";
  }

  const atoms = mailbox.slice(0, at).split(".");
  if (atoms.some((atom) => atom === "")) {
    return "the local part starts or ends with '.' or has two dots in a row, which only quotes allow";
  }
  for (const character of mailbox.slice(0, at)) {
    if (character !== "." && !isAtext(character, allowUtf8)) {
      return describeBadCharacter(character, "local part");
    }
  }
  return at;
}

function findQuotedLocalPartEnd(mailbox: string): number | string {
  let index = 1;
  while (index < mailbox.length) {
    const character = mailbox[index] as string;
    if (character === '"') {
      break;
    }
    // quoted-pairSMTP is a backslash and one printable character. The control check has already
    // rejected everything below U+0020, so no other character needs a test here.
    index += character === "\\" ? 2 : 1;
  }
  if (index >= mailbox.length) {
    return "the quoted local part has no closing '\"'";
  }

  const at = index + 1;
  const next = mailbox[at];
  if (next === "@") {
    return at;
  }
  if (next === " " || next === "<") {
    return "the address has a display name, but only the address may be passed, as a@b or <a@b>";
  }
  return "the quoted local part must be followed by '@'";
}

function isAtext(character: string, allowUtf8: boolean): boolean {
  return ATEXT.test(character) || (allowUtf8 && NON_ASCII.test(character));
}

function describeBadCharacter(character: string, part: string): string {
  if (character === " ") {
    return `the ${part} contains a space, which only a quoted local part may contain`;
  }
  if (character === "<" || character === ">") {
    return `the ${part} contains '${character}', but only the address may be passed, as a@b or <a@b>`;
  }
  if (character === "(" || character === ")") {
    return `the ${part} contains '${character}', but SMTP addresses cannot contain comments`;
  }
  return `the ${part} contains '${character}', which RFC 5321 does not allow there`;
}

/**
 * Checks a domain: LDH labels separated by dots, or an address literal (RFC 5321 §4.1.2,
 * §4.1.3). With `allowUtf8`, labels may contain non-ASCII characters (RFC 6531 §3.3).
 */
function findDomainProblem(domain: string, allowUtf8: boolean): string | null {
  if (domain === "") {
    return "the domain is empty";
  }

  const octets = Buffer.byteLength(domain, "utf8");
  if (octets > MAX_DOMAIN_OCTETS) {
    return `the domain is ${octets} octets long, but RFC 5321 allows at most ${MAX_DOMAIN_OCTETS}`;
  }

  if (domain.startsWith("[")) {
    return findAddressLiteralProblem(domain);
  }

  for (const label of domain.split(".")) {
    if (label === "") {
      return "the domain starts or ends with '.' or has two dots in a row";
    }
    if (Buffer.byteLength(label, "utf8") > 63) {
      return "a domain label is longer than 63 octets";
    }
    const asciiForm = allowUtf8 ? label.replace(/[\u0080-\uffff]/g, "a") : label;
    if (!LDH_LABEL.test(asciiForm)) {
      const bad = [...asciiForm].find((character) => !/[A-Za-z0-9-]/.test(character));
      return bad === undefined
        ? "a domain label starts or ends with '-'"
        : describeBadCharacter(bad, "domain");
    }
  }
  return null;
}

function findAddressLiteralProblem(literal: string): string | null {
  if (!literal.endsWith("]")) {
    return "the address literal starts with '[' but does not end with ']'";
  }

  const content = literal.slice(1, -1);
  if (content.slice(0, 5).toLowerCase() === "ipv6:") {
    const address = content.slice(5);
    return isIP(address) === 6 && !address.includes("%")
      ? null
      : "the address literal [IPv6:...] does not contain a valid IPv6 address";
  }
  return isIP(content) === 4
    ? null
    : "the address literal must be [IPv4 address] or [IPv6:IPv6 address]";
}

/** Returns the IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), or null. */
function unwrapMappedIpv4(address: string): string | null {
  const groups = expandIpv6(address.toLowerCase());
  const isMapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (!isMapped) {
    return null;
  }

  const high = groups[6] as number;
  const low = groups[7] as number;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/** Expands an IPv6 address that `isIP` accepted into its eight 16-bit groups. */
function expandIpv6(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const [a, b, c, d] = tail.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }

  const [head = "", rest] = text.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const restGroups = rest === undefined || rest === "" ? [] : rest.split(":");
  const zeros =
    rest === undefined ? [] : Array(8 - headGroups.length - restGroups.length).fill("0");
  return [...headGroups, ...zeros, ...restGroups].map((group) => Number.parseInt(group, 16));
}
