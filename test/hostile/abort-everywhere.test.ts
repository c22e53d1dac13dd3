import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { SMTP_CONNECTED, SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import type { ISMTPTransport2 } from "../../src/imnxport/interfaces.js";
import { turns } from "../support/open-session.js";
import { CLIENT_NAME, inetServer, smtpMessage } from "../support/scenario.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { DISCONNECTED, recordingNetwork } from "../support/session-checks.js";
import { TraceRecorder } from "../support/trace.js";

/** Errors that escaped to the process while the runs were going on. */
const escaped: unknown[] = [];
const recordEscape = (error: unknown): void => {
  escaped.push(error);
};

let server: ScriptedServer;

beforeAll(async () => {
  process.on("uncaughtException", recordEscape);
  process.on("unhandledRejection", recordEscape);
  server = await startScriptedServer();
});

afterAll(async () => {
  process.off("uncaughtException", recordEscape);
  process.off("unhandledRejection", recordEscape);
  await server.close();
});

/** A transport call that ends the session from inside a callback. */
type Abort = (transport: ISMTPTransport2) => number;

interface AbortRun {
  recorder: TraceRecorder;
  callbacks: number;
  abortedAt: number;
  clientDestroyed: boolean;
}

/** Runs event-loop turns until `condition` holds, or throws after 10,000 turns. */
async function until(condition: () => boolean, label: string): Promise<void> {
  for (let turn = 0; !condition(); turn += 1) {
    if (turn > 10_000) {
      throw new Error(`${label}: the connection did not close`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Runs Connect, SendMessage from inside SMTP_CONNECTED and CommandQUIT from inside
 * SMTP_SEND_MESSAGE, and calls `abort` from inside the callback numbered `abortAt` (from 1;
 * 0 never aborts). Resolves once both ends of the connection are closed.
 */
async function runAborted(abortAt: number, abort: Abort, label: string): Promise<AbortRun> {
  const { network, sockets } = recordingNetwork();
  const transport = createSMTPTransport({ clientName: CLIENT_NAME, network });
  const recorder = new TraceRecorder(transport);
  const message = smtpMessage("a@x.test", ["b@y.test"], "Subject: abort\r\n\r\n.Hi\r\n");
  let callbacks = 0;
  let abortedAt = -1;
  const count = (): void => {
    callbacks += 1;
    if (callbacks === abortAt) {
      abortedAt = recorder.lines.length;
      recorder.call("abort()", () => abort(transport));
    }
  };
  recorder.onStatus = count;
  recorder.onError = count;
  recorder.onCommand = count;
  recorder.onResponse = (response) => {
    count();
    if (response.fDone && response.command === SMTP_CONNECTED) {
      recorder.call("SendMessage(message)", () => transport.SendMessage(message));
    }
    if (response.command === SMTP_SEND_MESSAGE) {
      recorder.call("CommandQUIT()", () => transport.CommandQUIT());
    }
  };
  const connectionsBefore = server.connections.length;
  transport.InitNew(null, recorder);
  transport.Connect(inetServer(server.port), false, true);

  // HandsOffCallback silences IXP_DISCONNECTED, so wait for the sockets rather than callbacks.
  await until(
    () => (abortAt > 0 && abortedAt > -1) || recorder.lines.some((line) => line === DISCONNECTED),
    label,
  );
  await until(() => sockets.every((socket) => socket.destroyed), label);
  await turns(3);
  await until(
    () => server.connections.slice(connectionsBefore).every((connection) => connection.closed),
    label,
  );
  await turns(3);
  return {
    recorder,
    callbacks,
    abortedAt,
    clientDestroyed: sockets.every((socket) => socket.destroyed),
  };
}

const ABORTS: Array<[name: string, abort: Abort]> = [
  ["DropConnection", (transport) => transport.DropConnection()],
  ["Disconnect", (transport) => transport.Disconnect()],
];

describe("session ended from inside every callback", () => {
  for (const [name, abort] of ABORTS) {
    it(`${name} at each callback ends once`, { timeout: 30_000 }, async () => {
      const full = await runAborted(0, abort, `${name} never`);

      for (let abortAt = 1; abortAt <= full.callbacks; abortAt += 1) {
        const label = `${name} inside callback ${abortAt} of ${full.callbacks}`;
        const run = await runAborted(abortAt, abort, label);
        // Callback lines only: the lines of transport calls end with their HRESULT.
        const lines = run.recorder.lines.filter((line) => !line.includes(" → "));
        const reports = lines.filter((line) => line.trim().startsWith(DISCONNECTED));

        expect(reports, label).toHaveLength(1);
        expect(lines.at(-1)?.trim().startsWith(DISCONNECTED), label).toBe(true);
        expect(run.recorder.errors.length, label).toBeLessThanOrEqual(1);
        expect(run.clientDestroyed, label).toBe(true);
        expect(run.abortedAt, label).toBeGreaterThan(-1);
      }

      expect(escaped).toEqual([]);
    });
  }

  it("HandsOffCallback anywhere silences the rest", { timeout: 30_000 }, async () => {
    const handsOff: Abort = (transport) => {
      transport.HandsOffCallback();
      return transport.DropConnection();
    };
    const full = await runAborted(0, handsOff, "HandsOffCallback never");

    for (let abortAt = 1; abortAt <= full.callbacks; abortAt += 1) {
      const label = `HandsOffCallback inside callback ${abortAt} of ${full.callbacks}`;
      const run = await runAborted(abortAt, handsOff, label);

      expect(run.callbacks, label).toBe(abortAt);
      // Only the lines of transport calls may follow; their lines end with the HRESULT.
      const after = run.recorder.lines.slice(run.abortedAt + 1);
      expect(
        after.filter((line) => !line.includes(" → ")),
        label,
      ).toEqual([]);
      expect(run.clientDestroyed, label).toBe(true);
    }

    expect(escaped).toEqual([]);
  });
});
