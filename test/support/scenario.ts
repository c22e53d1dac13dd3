import { BufferStream } from "../../src/compat/com/buffer-stream.js";
import { createSMTPTransport, type TransportOptions } from "../../src/compat/transport.js";
import { ADDR_FROM, ADDR_TO, SMTP_CONNECTED, SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import type { ISMTPTransport2 } from "../../src/imnxport/interfaces.js";
import type { INETSERVER, MessageSource, SMTPMESSAGE } from "../../src/imnxport/structs.js";
import { expectGolden } from "./golden.js";
import {
  type ConnectionRecord,
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
} from "./scripted-server.js";
import { TraceRecorder } from "./trace.js";

/** The EHLO/HELO name the scenarios use, so traces do not depend on the machine. */
export const CLIENT_NAME = "client.example.org";

/** An INETSERVER for a loopback server, as OE's account manager filled it. */
export function inetServer(port: number, fields: Partial<INETSERVER> = {}): INETSERVER {
  return {
    szAccount: "Example Account",
    szUserName: "",
    szPassword: "",
    szServerName: "127.0.0.1",
    szConnectoid: "",
    rasconntype: 0,
    dwPort: port,
    fSSL: false,
    fTrySicily: false,
    dwTimeout: 30,
    dwFlags: 0,
    ...fields,
  };
}

/** An SMTPMESSAGE with one sender and the given recipients. */
export function smtpMessage(
  from: string,
  to: readonly string[],
  body: string | Buffer | MessageSource,
): SMTPMESSAGE {
  const source = typeof body === "string" || Buffer.isBuffer(body) ? new BufferStream(body) : body;
  const addresses = [
    { addrtype: ADDR_FROM, szEmail: from },
    ...to.map((email) => ({ addrtype: ADDR_TO, szEmail: email })),
  ];
  return {
    cbSize: 0,
    pstmMsg: source,
    rAddressList: { cAddress: addresses.length, prgAddress: addresses },
  };
}

export interface ScenarioOptions {
  server?: ScriptedServerOptions;
  serverFields?: Partial<INETSERVER>;
  commandLogging?: boolean;
  /** Connect's fAuthenticate. */
  connectAuthenticate?: boolean;
  transportOptions?: TransportOptions;
  /** Sent from inside OnResponse(SMTP_CONNECTED); null sends nothing. */
  message?: SMTPMESSAGE | null;
  /** CommandQUIT from inside the final response (SMTP_SEND_MESSAGE, or SMTP_CONNECTED without a message). */
  quit?: boolean;
  /** Extra behavior installed on the recorder before Connect. */
  setup?: (recorder: TraceRecorder, transport: ISMTPTransport2) => void;
}

export interface ScenarioRun {
  recorder: TraceRecorder;
  transport: ISMTPTransport2;
  server: ScriptedServer;
  connection: ConnectionRecord | undefined;
}

/**
 * Run one session against a scripted loopback server, the way ported OE code drives the
 * transport: Connect, SendMessage from inside OnResponse(SMTP_CONNECTED), CommandQUIT from
 * inside OnResponse(SMTP_SEND_MESSAGE). Resolves once IXP_DISCONNECTED has been reported.
 */
export async function runScenario(options: ScenarioOptions = {}): Promise<ScenarioRun> {
  const server = await startScriptedServer(options.server ?? {});
  const transport = createSMTPTransport({ clientName: CLIENT_NAME, ...options.transportOptions });
  const recorder = new TraceRecorder(transport);
  const message =
    options.message === undefined
      ? smtpMessage("a@x.test", ["b@y.test"], "Hello.\r\n")
      : options.message;
  const quit = options.quit ?? true;

  recorder.onResponse = (response) => {
    if (!response.fDone) {
      return;
    }

    if (response.command === SMTP_CONNECTED && message !== null) {
      recorder.call("SendMessage(message)", () => transport.SendMessage(message));
      return;
    }

    const finished =
      response.command === SMTP_SEND_MESSAGE ||
      (response.command === SMTP_CONNECTED && message === null);
    if (finished && quit) {
      recorder.call("CommandQUIT()", () => transport.CommandQUIT());
    }
  };
  options.setup?.(recorder, transport);

  try {
    const init = transport.InitNew(null, recorder);
    if (init !== 0) {
      throw new Error(`InitNew returned ${init}`);
    }

    const logging = options.commandLogging ?? true;
    const authenticate = options.connectAuthenticate === true;
    const flags = `${authenticate ? "TRUE" : "FALSE"}, ${logging ? "TRUE" : "FALSE"}`;
    recorder.call(`Connect(server, ${flags})`, () =>
      transport.Connect(inetServer(server.port, options.serverFields), authenticate, logging),
    );
    await recorder.disconnected();
    if (server.connections.length > 0) {
      await server.waitForClose();
    }
    await settle();
    return { recorder, transport, server, connection: server.connections[0] };
  } finally {
    await server.close();
  }
}

/** Let the event loop run a few turns, so late callbacks would show up in the trace. */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Run a scenario and compare its callbacks and wire transcript with the golden trace `name`. */
export async function expectScenario(
  name: string,
  title: string,
  options: ScenarioOptions = {},
): Promise<ScenarioRun> {
  const run = await runScenario(options);
  expectGolden(name, {
    title,
    callbacks: run.recorder.lines,
    wire: run.connection?.transcript ?? [],
  });
  return run;
}
