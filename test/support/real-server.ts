import {
  type EmbeddedServer,
  type EmbeddedServerOptions,
  type ReceivedMessage,
  type SMTPRejection,
  startEmbeddedServer,
} from "../../demo/embedded-server.js";

export type { ReceivedMessage, SMTPRejection };

/** A real SMTP server (smtp-server from npm) on loopback that stores the messages it accepts. */
export type RealServer = EmbeddedServer;

export type RealServerOptions = EmbeddedServerOptions;

/**
 * Starts smtp-server on 127.0.0.1 on a free port. Messages stay in memory unless
 * `options.saveDir` names a folder, and the other defaults are those of startEmbeddedServer.
 */
export function startRealServer(options: RealServerOptions = {}): Promise<RealServer> {
  return startEmbeddedServer({ ...options, saveDir: options.saveDir ?? null });
}
