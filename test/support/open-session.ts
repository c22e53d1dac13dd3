import { createSMTPTransport, type TransportOptions } from "../../src/compat/transport.js";
import type { ISMTPTransport2 } from "../../src/imnxport/interfaces.js";
import type { INETSERVER } from "../../src/imnxport/structs.js";
import { CLIENT_NAME, inetServer } from "./scenario.js";
import {
  type ConnectionRecord,
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
} from "./scripted-server.js";
import { TraceRecorder } from "./trace.js";

/** A transport connected to a scripted loopback server and idle after SMTP_CONNECTED. */
export interface OpenSession {
  server: ScriptedServer;
  transport: ISMTPTransport2;
  recorder: TraceRecorder;
  connection: ConnectionRecord;
}

export interface OpenSessionOptions {
  server?: ScriptedServerOptions;
  serverFields?: Partial<INETSERVER>;
  transportOptions?: TransportOptions;
}

/** Servers started by openSession; closeSessions() shuts them after each test. */
const openServers: ScriptedServer[] = [];

/**
 * Start a scripted server, Connect with command logging on, and resolve once the transport has
 * delivered SMTP_CONNECTED, so a test can drive it from outside the callbacks.
 */
export async function openSession(options: OpenSessionOptions = {}): Promise<OpenSession> {
  const server = await startScriptedServer(options.server ?? {});
  openServers.push(server);
  const transport = createSMTPTransport({ clientName: CLIENT_NAME, ...options.transportOptions });
  const recorder = new TraceRecorder(transport);
  transport.InitNew(null, recorder);
  recorder.call("Connect(server, FALSE, TRUE)", () =>
    transport.Connect(inetServer(server.port, options.serverFields), false, true),
  );
  const connection = await server.waitForConnection();
  await recorder.waitFor(/^R\{SMTP_CONNECTED, TRUE/);
  return { server, transport, recorder, connection };
}

/** Close every server that openSession started. */
export async function closeSessions(): Promise<void> {
  const servers = openServers.splice(0);
  await Promise.all(servers.map((server) => server.close()));
}

/** Let the event loop run a few turns so that late callbacks would be recorded. */
export async function turns(count = 5): Promise<void> {
  for (let turn = 0; turn < count; turn += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
