import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/*
 * Test certificates made with the `openssl` command-line tool (written against OpenSSL 3.0):
 * a root CA, an intermediate CA, and server leaves for the TLS cases the transport must tell
 * apart. They are generated once per test process into a folder named after the process id
 * under the system temporary folder. The folder is removed when the process exits normally, and
 * otherwise by the next process that generates certificates once the owner has ended, because
 * vitest may stop its worker processes without an "exit" event. Keys are ECDSA P-256, made with
 * node:crypto because that needs no extra process.
 */

/** A certificate and its private key, as PEM text and as files. */
export interface PemFiles {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
}

/** A server leaf, with the chain a TLS server sends. */
export interface ServerCertificate extends PemFiles {
  /**
   * The leaf followed by the intermediate CA, for `tls.createServer({ cert })`. For the
   * self-signed leaf, the leaf alone.
   */
  chain: string;
  chainPath: string;
}

export interface TestCertificates {
  /** The temporary folder that contains every file. */
  dir: string;
  /** The trust anchor: pass `root.cert` as the client's `ca`. */
  root: PemFiles;
  /** Signed by the root. It signs every leaf below except `selfSigned`. */
  intermediate: PemFiles;
  /** Valid for ten years, SAN DNS:localhost and IP:127.0.0.1. */
  localhost: ServerCertificate;
  /** Self-signed, with the same SAN as `localhost`. */
  selfSigned: ServerCertificate;
  /** Valid, but only for DNS:wrong.example. */
  wrongHost: ServerCertificate;
  /** For localhost, valid from EXPIRED_NOT_BEFORE to EXPIRED_NOT_AFTER. */
  expired: ServerCertificate;
  /** For localhost, valid from FUTURE_NOT_BEFORE to FUTURE_NOT_AFTER. */
  notYetValid: ServerCertificate;
}

export const EXPIRED_NOT_BEFORE = new Date("2020-01-01T00:00:00Z");
export const EXPIRED_NOT_AFTER = new Date("2021-01-01T00:00:00Z");
export const FUTURE_NOT_BEFORE = new Date("2090-01-01T00:00:00Z");
export const FUTURE_NOT_AFTER = new Date("2091-01-01T00:00:00Z");

const VALID_DAYS = "3650";
const TEN_YEARS = ["-days", VALID_DAYS];
const EXPIRED_VALIDITY = validityOptions(EXPIRED_NOT_BEFORE, EXPIRED_NOT_AFTER);
const FUTURE_VALIDITY = validityOptions(FUTURE_NOT_BEFORE, FUTURE_NOT_AFTER);

/** `openssl ca` configuration. Paths are relative to the folder the commands run in. */
const OPENSSL_CONFIG = `
[ req ]
distinguished_name = req_distinguished_name
prompt = no

[ req_distinguished_name ]
CN = unused

[ ca ]
default_ca = test_ca

[ test_ca ]
database = index.txt
serial = serial
new_certs_dir = issued
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none

[ policy_any ]
organizationName = optional
commonName = supplied

[ root_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ intermediate_ca ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ leaf_localhost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ leaf_self_signed ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash

[ leaf_wrong_host ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

/** Parent of the per-process folders. */
const CERTS_ROOT = path.join(tmpdir(), "imnxport-test-certs");

/**
 * Where the certificates are cached. It is a global rather than a module variable because vitest
 * may evaluate this module again for each test file that runs in the same process.
 */
const CACHE_KEY = Symbol.for("imnxport.testCertificates");
const cache = globalThis as { [CACHE_KEY]?: TestCertificates };

/**
 * Returns the test certificates, generating them on the first call of the process, which took
 * 0.13 to 0.9 s on a busy 2-CPU machine. Throws when `openssl` is not on PATH or one of its
 * commands fails.
 */
export function testCertificates(): TestCertificates {
  cache[CACHE_KEY] ??= generate();
  return cache[CACHE_KEY];
}

function generate(): TestCertificates {
  requireOpenssl();

  mkdirSync(CERTS_ROOT, { recursive: true });
  removeFoldersOfEndedProcesses();
  const dir = mkdtempSync(path.join(CERTS_ROOT, `${process.pid}-`));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));

  mkdirSync(path.join(dir, "issued"));
  writeFileSync(path.join(dir, "openssl.cnf"), OPENSSL_CONFIG);
  writeFileSync(path.join(dir, "index.txt"), "");
  writeFileSync(path.join(dir, "serial"), "1000\n");
  const ca = new CertificateFolder(dir);

  const root = ca.selfSigned("root", "/O=imnxport tests/CN=imnxport Test Root CA", "root_ca");
  const intermediate = ca.signed(
    "intermediate",
    "/O=imnxport tests/CN=imnxport Test Intermediate CA",
    root,
    "intermediate_ca",
    TEN_YEARS,
  );
  const leaf = (name: string, subject: string, section: string, validity: string[]) =>
    ca.withChain(ca.signed(name, subject, intermediate, section, validity), intermediate);
  const selfSigned = ca.selfSigned("self-signed", "/CN=localhost", "leaf_self_signed");

  return {
    dir,
    root,
    intermediate,
    localhost: leaf("localhost", "/CN=localhost", "leaf_localhost", TEN_YEARS),
    selfSigned: ca.withChain(selfSigned, null),
    wrongHost: leaf("wrong-host", "/CN=wrong.example", "leaf_wrong_host", TEN_YEARS),
    expired: leaf("expired", "/CN=localhost", "leaf_localhost", EXPIRED_VALIDITY),
    notYetValid: leaf("not-yet-valid", "/CN=localhost", "leaf_localhost", FUTURE_VALIDITY),
  };
}

/** Runs openssl commands in one folder and names files after each certificate. */
class CertificateFolder {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Makes a self-signed certificate with `openssl req -x509`. */
  selfSigned(name: string, subject: string, section: string): PemFiles {
    const keyPath = this.#writeKey(name);
    const certPath = this.#file(`${name}.crt`);
    // biome-ignore format: one option and its value per line
    this.#openssl([
      "req", "-x509", "-new", "-sha256",
      "-config", "openssl.cnf",
      "-extensions", section,
      "-key", keyPath,
      "-subj", subject,
      "-days", VALID_DAYS,
      "-out", certPath,
    ]);
    return this.#read(keyPath, certPath);
  }

  /** Makes a request and signs it with `openssl ca`, whose -startdate allows past dates. */
  signed(
    name: string,
    subject: string,
    issuer: PemFiles,
    section: string,
    validity: string[],
  ): PemFiles {
    const keyPath = this.#writeKey(name);
    const requestPath = this.#file(`${name}.csr`);
    const certPath = this.#file(`${name}.crt`);
    // biome-ignore format: one option and its value per line
    this.#openssl([
      "req", "-new",
      "-config", "openssl.cnf",
      "-key", keyPath,
      "-subj", subject,
      "-out", requestPath,
    ]);
    // biome-ignore format: one option and its value per line
    this.#openssl([
      "ca", "-batch", "-notext",
      "-config", "openssl.cnf",
      "-extensions", section,
      "-cert", issuer.certPath,
      "-keyfile", issuer.keyPath,
      "-in", requestPath,
      "-out", certPath,
      ...validity,
    ]);
    return this.#read(keyPath, certPath);
  }

  /** Adds the chain file: the leaf, then the intermediate when there is one. */
  withChain(leaf: PemFiles, intermediate: PemFiles | null): ServerCertificate {
    const chain = intermediate === null ? leaf.cert : leaf.cert + intermediate.cert;
    const chainPath = leaf.certPath.replace(/\.crt$/, "-chain.pem");
    writeFileSync(chainPath, chain);
    return { ...leaf, chain, chainPath };
  }

  #writeKey(name: string): string {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const keyPath = this.#file(`${name}.key`);
    writeFileSync(keyPath, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    return keyPath;
  }

  #read(keyPath: string, certPath: string): PemFiles {
    return {
      cert: readFileSync(certPath, "utf8"),
      key: readFileSync(keyPath, "utf8"),
      certPath,
      keyPath,
    };
  }

  #file(name: string): string {
    return path.join(this.#dir, name);
  }

  #openssl(args: string[]): void {
    const result = spawnSync("openssl", args, { cwd: this.#dir, encoding: "utf8" });
    if (result.error !== undefined || result.status !== 0) {
      const detail = result.error?.message ?? result.stderr.trim();
      throw new Error(
        `openssl ${args.slice(0, 2).join(" ")} failed (exit ${result.status}): ${detail}`,
      );
    }
  }
}

/** Deletes the folders whose name starts with the id of a process that no longer runs. */
function removeFoldersOfEndedProcesses(): void {
  for (const name of readdirSync(CERTS_ROOT)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid)) {
      rmSync(path.join(CERTS_ROOT, name), { recursive: true, force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Throws at once, with the fix, when the openssl command-line tool is missing. */
function requireOpenssl(): void {
  const result = spawnSync("openssl", ["version"], { encoding: "utf8" });
  if (result.error !== undefined) {
    throw new Error(
      `openssl not found on PATH (${result.error.message}). Install the OpenSSL command-line tool, 3.0 or later, to generate the TLS test certificates.`,
    );
  }
}

/** Returns `openssl ca` options for a fixed validity period, as GeneralizedTime. */
function validityOptions(notBefore: Date, notAfter: Date): string[] {
  return ["-startdate", generalizedTime(notBefore), "-enddate", generalizedTime(notAfter)];
}

/** Formats a date as YYYYMMDDHHMMSSZ. */
function generalizedTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}
