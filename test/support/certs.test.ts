import { createPrivateKey, X509Certificate } from "node:crypto";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { describe, expect, it } from "vitest";
import {
  EXPIRED_NOT_AFTER,
  EXPIRED_NOT_BEFORE,
  FUTURE_NOT_AFTER,
  FUTURE_NOT_BEFORE,
  type ServerCertificate,
  testCertificates,
} from "./certs.js";

const certs = testCertificates();
const root = new X509Certificate(certs.root.cert);
const intermediate = new X509Certificate(certs.intermediate.cert);

const DAY_MS = 24 * 60 * 60 * 1000;

function x509(server: ServerCertificate): X509Certificate {
  return new X509Certificate(server.cert);
}

function expectValidNow(certificate: X509Certificate): void {
  const now = Date.now();

  expect(new Date(certificate.validFrom).getTime()).toBeLessThanOrEqual(now);
  expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(now + 365 * DAY_MS);
}

function expectIssuedByIntermediate(certificate: X509Certificate): void {
  expect(certificate.checkIssued(intermediate)).toBe(true);
  expect(certificate.verify(intermediate.publicKey)).toBe(true);
  expect(certificate.checkIssued(root)).toBe(false);
}

type HandshakeResult = { ok: true; authorized: boolean } | { ok: false; code: string };

/**
 * Starts a TLS server on 127.0.0.1 that presents `serverCert`, connects to it, and returns how
 * the client's verification ended. The client trusts only the test root unless `client` sets `ca`.
 */
async function handshake(
  serverCert: string,
  key: string,
  client: Partial<tls.ConnectionOptions> = {},
): Promise<HandshakeResult> {
  const server = tls.createServer({ key, cert: serverCert });
  server.on("tlsClientError", () => {});
  server.on("secureConnection", (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  try {
    return await new Promise<HandshakeResult>((resolve) => {
      const socket = tls.connect({
        host: "127.0.0.1",
        port,
        servername: "localhost",
        ca: certs.root.cert,
        ...client,
      });
      socket.once("secureConnect", () => {
        resolve({ ok: true, authorized: socket.authorized });
        socket.end();
      });
      socket.once("error", (error: NodeJS.ErrnoException) => {
        resolve({ ok: false, code: error.code ?? error.message });
        socket.destroy();
      });
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe("test certificates", () => {
  it("cached per process", () => {
    expect(testCertificates()).toBe(certs);
  });

  it("root CA is self-issued and a CA", () => {
    expect(root.ca).toBe(true);
    expect(root.subject).toContain("CN=imnxport Test Root CA");
    expect(root.checkIssued(root)).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expectValidNow(root);
  });

  it("intermediate CA is issued by the root", () => {
    expect(intermediate.ca).toBe(true);
    expect(intermediate.subject).toContain("CN=imnxport Test Intermediate CA");
    expect(intermediate.checkIssued(root)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expectValidNow(intermediate);
  });

  it("localhost leaf", () => {
    const leaf = x509(certs.localhost);

    expect(leaf.ca).toBe(false);
    expect(leaf.subject).toBe("CN=localhost");
    expect(leaf.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1");
    expect(leaf.checkHost("localhost")).toBe("localhost");
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leaf.checkPrivateKey(createPrivateKey(certs.localhost.key))).toBe(true);
    expectIssuedByIntermediate(leaf);
    expectValidNow(leaf);
  });

  it("chain file is leaf then intermediate", () => {
    expect(certs.localhost.chain).toBe(certs.localhost.cert + certs.intermediate.cert);
    expect(certs.selfSigned.chain).toBe(certs.selfSigned.cert);
  });

  it("self-signed leaf", () => {
    const leaf = x509(certs.selfSigned);

    expect(leaf.ca).toBe(false);
    expect(leaf.subject).toBe("CN=localhost");
    expect(leaf.issuer).toBe("CN=localhost");
    expect(leaf.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1");
    expect(leaf.verify(leaf.publicKey)).toBe(true);
    // OpenSSL's issuer check also requires keyCertSign, which a server leaf does not have.
    expect(leaf.checkIssued(leaf)).toBe(false);
    expect(leaf.checkIssued(intermediate)).toBe(false);
    expectValidNow(leaf);
  });

  it("wrong-host leaf", () => {
    const leaf = x509(certs.wrongHost);

    expect(leaf.subject).toBe("CN=wrong.example");
    expect(leaf.subjectAltName).toBe("DNS:wrong.example");
    expect(leaf.checkHost("localhost")).toBeUndefined();
    expectIssuedByIntermediate(leaf);
    expectValidNow(leaf);
  });

  it("expired leaf", () => {
    const leaf = x509(certs.expired);

    expect(leaf.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1");
    expect(new Date(leaf.validFrom).getTime()).toBe(EXPIRED_NOT_BEFORE.getTime());
    expect(new Date(leaf.validTo).getTime()).toBe(EXPIRED_NOT_AFTER.getTime());
    expectIssuedByIntermediate(leaf);
  });

  it("not-yet-valid leaf", () => {
    const leaf = x509(certs.notYetValid);

    expect(leaf.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1");
    expect(new Date(leaf.validFrom).getTime()).toBe(FUTURE_NOT_BEFORE.getTime());
    expect(new Date(leaf.validTo).getTime()).toBe(FUTURE_NOT_AFTER.getTime());
    expectIssuedByIntermediate(leaf);
  });
});

describe("TLS verification with the test certificates", () => {
  it("accepts the localhost chain", async () => {
    const result = await handshake(certs.localhost.chain, certs.localhost.key);

    expect(result).toEqual({ ok: true, authorized: true });
  });

  it("accepts the localhost chain by IP address", async () => {
    const result = await handshake(certs.localhost.chain, certs.localhost.key, {
      servername: undefined,
    });

    expect(result).toEqual({ ok: true, authorized: true });
  });

  const rejected: ReadonlyArray<[string, () => ServerCertificate, string]> = [
    ["self-signed leaf", () => certs.selfSigned, "DEPTH_ZERO_SELF_SIGNED_CERT"],
    ["wrong host name", () => certs.wrongHost, "ERR_TLS_CERT_ALTNAME_INVALID"],
    ["expired leaf", () => certs.expired, "CERT_HAS_EXPIRED"],
    ["not-yet-valid leaf", () => certs.notYetValid, "CERT_NOT_YET_VALID"],
  ];

  for (const [name, server, code] of rejected) {
    it(`rejects ${name} with ${code}`, async () => {
      const { chain, key } = server();

      expect(await handshake(chain, key)).toEqual({ ok: false, code });
    });
  }

  it("rejects a leaf sent without its intermediate", async () => {
    const result = await handshake(certs.localhost.cert, certs.localhost.key);

    expect(result).toEqual({ ok: false, code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
  });

  it("rejects the chain under the default CA list", async () => {
    const result = await handshake(certs.localhost.chain, certs.localhost.key, { ca: undefined });

    expect(result).toEqual({ ok: false, code: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" });
  });

  it("rejects a chain that ends in an untrusted root", async () => {
    const result = await handshake(certs.localhost.chain + certs.root.cert, certs.localhost.key, {
      ca: undefined,
    });

    expect(result).toEqual({ ok: false, code: "SELF_SIGNED_CERT_IN_CHAIN" });
  });
});
