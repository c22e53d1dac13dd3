import { afterEach, describe, expect, it } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import {
  IDNO,
  IDYES,
  ISF_SSLONSAMEPORT,
  MB_ICONEXCLAMATION,
  MB_YESNO,
} from "../../src/imnxport/constants.js";
import { SMTP_CONNECTED, SMTP_EHLO, SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import {
  IXP_E_INVALID_CERT_CN,
  IXP_E_INVALID_CERT_DATE,
  IXP_E_SECURE_CONNECT_FAILED,
  S_OK,
} from "../../src/imnxport/hresults.js";
import type { INETSERVER } from "../../src/imnxport/structs.js";
import { type ServerCertificate, testCertificates } from "../support/certs.js";
import { type RealServer, startRealServer } from "../support/real-server.js";
import { inetServer, smtpMessage } from "../support/scenario.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

let server: RealServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

type Mode = "starttls" | "implicit";

function startTlsServer(mode: Mode, certificate: ServerCertificate): Promise<RealServer> {
  return startRealServer({
    saveDir: null,
    disabledCommands: ["AUTH"],
    secure: mode === "implicit",
    key: certificate.key,
    cert: certificate.chain,
  });
}

function serverFields(mode: Mode, port: number): Partial<INETSERVER> {
  return {
    szServerName: "localhost",
    dwPort: port,
    fSSL: true,
    dwFlags: mode === "starttls" ? ISF_SSLONSAMEPORT : 0,
  };
}

/** Send one message over TLS; `answer` is OnPrompt's reply to a certificate problem. */
async function sendOverTls(
  mode: Mode,
  target: RealServer,
  answer: number | Promise<number> = IDNO,
): Promise<TraceRecorder> {
  const transport = createSMTPTransport({
    clientName: "client.example.org",
    tls: { ca: testCertificates().root.cert },
    network: {
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    },
  });
  const recorder = new TraceRecorder(transport);
  recorder.OnPrompt = (hrError: number, _text: string, _caption: string, uType: number) => {
    recorder.lines.push(`prompt ${nameOf(hrError)} type ${uType}`);
    return answer;
  };
  recorder.onResponse = (response) => {
    if (!response.fDone) {
      return;
    }
    if (response.command === SMTP_CONNECTED) {
      transport.SendMessage(
        smtpMessage("a@example.com", ["b@example.org"], "Subject: tls\r\n\r\nsecret body\r\n"),
      );
    } else if (response.command === SMTP_SEND_MESSAGE) {
      transport.CommandQUIT();
    }
  };

  transport.InitNew(null, recorder);
  const fields = serverFields(mode, target.port);
  expect(transport.Connect(inetServer(target.port, fields), false, true)).toBe(S_OK);
  await recorder.disconnected();
  return recorder;
}

function statuses(recorder: TraceRecorder): string[] {
  return recorder.lines.filter((line) => line.startsWith("status ")).map((line) => line.slice(7));
}

describe("TLS against smtp-server", () => {
  it("STARTTLS with a trusted chain", async () => {
    server = await startTlsServer("starttls", testCertificates().localhost);

    const recorder = await sendOverTls("starttls", server);

    expect(recorder.errors).toEqual([]);
    expect(server.messages).toHaveLength(1);
    expect(statuses(recorder).slice(0, 7)).toEqual([
      "IXP_FINDINGHOST",
      "IXP_CONNECTING",
      "IXP_CONNECTED",
      "IXP_SECURING",
      "IXP_CONNECTED",
      "IXP_AUTHORIZED",
      "IXP_CONNECTED",
    ]);
    expect(recorder.lines).toContain('send "STARTTLS\\r\\n"');
    expect(recorder.lines.filter((line) => line.startsWith('send "EHLO'))).toHaveLength(2);
    const lastEhlo = recorder.responses.filter((response) => response.command === SMTP_EHLO).at(-1);
    expect(lastEhlo?.rIxpResult.pszResponse).not.toContain("STARTTLS");
  });

  it("implicit TLS secures before the banner", async () => {
    server = await startTlsServer("implicit", testCertificates().localhost);

    const recorder = await sendOverTls("implicit", server);

    expect(recorder.errors).toEqual([]);
    expect(server.messages).toHaveLength(1);
    expect(statuses(recorder).slice(0, 4)).toEqual([
      "IXP_FINDINGHOST",
      "IXP_CONNECTING",
      "IXP_SECURING",
      "IXP_CONNECTED",
    ]);
    expect(recorder.lines).not.toContain('send "STARTTLS\\r\\n"');
  });

  const problems = [
    ["self-signed", () => testCertificates().selfSigned, IXP_E_SECURE_CONNECT_FAILED],
    ["wrong host", () => testCertificates().wrongHost, IXP_E_INVALID_CERT_CN],
    ["expired", () => testCertificates().expired, IXP_E_INVALID_CERT_DATE],
    ["not yet valid", () => testCertificates().notYetValid, IXP_E_INVALID_CERT_DATE],
  ] as const;

  for (const mode of ["starttls", "implicit"] as const) {
    for (const [label, certificate, hr] of problems) {
      it(`${mode}: ${label} certificate declined`, async () => {
        server = await startTlsServer(mode, certificate());

        const recorder = await sendOverTls(mode, server, IDNO);

        expect(recorder.lines).toContain(
          `prompt ${nameOf(hr)} type ${MB_YESNO | MB_ICONEXCLAMATION}`,
        );
        expect(recorder.errors).toHaveLength(1);
        expect(nameOf(recorder.errors[0]?.hrResult ?? 0)).toBe(nameOf(hr));
        expect(recorder.lines.some((line) => line.startsWith("error{IXP_SECURING,"))).toBe(true);
        expect(server.messages).toHaveLength(0);
        expect(statuses(recorder).at(-1)).toBe("IXP_DISCONNECTED");
      });
    }
  }

  it("IDYES from a Promise accepts the certificate", async () => {
    server = await startTlsServer("starttls", testCertificates().wrongHost);

    const recorder = await sendOverTls("starttls", server, Promise.resolve(IDYES));

    expect(recorder.lines).toContain(
      `prompt ${nameOf(IXP_E_INVALID_CERT_CN)} type ${MB_YESNO | MB_ICONEXCLAMATION}`,
    );
    expect(recorder.errors).toEqual([]);
    expect(server.messages).toHaveLength(1);
  });
});
