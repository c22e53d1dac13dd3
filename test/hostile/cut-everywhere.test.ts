import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { ISF_QUERYDSNSUPPORT } from "../../src/imnxport/constants.js";
import {
  SMTP_CONNECTED,
  SMTP_QUIT,
  SMTP_SEND_MESSAGE,
  type SMTPCOMMAND,
} from "../../src/imnxport/enums.js";
import {
  IXP_E_CONNECTION_DROPPED,
  IXP_E_FAILED_TO_CONNECT,
  IXP_E_SMTP_REJECTED_RECIPIENTS,
  S_OK,
} from "../../src/imnxport/hresults.js";
import { turns } from "../support/open-session.js";
import { CLIENT_NAME, inetServer, smtpMessage } from "../support/scenario.js";
import {
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
} from "../support/scripted-server.js";
import { expectDisconnectedLast, recordingNetwork } from "../support/session-checks.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

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

/** What one session did: its callbacks, the client socket, and the server's record. */
interface SessionRun {
  recorder: TraceRecorder;
  clientDestroyed: boolean;
  clientBytesRead: number;
  serverSent: Buffer;
}

/** Maximum time a cut session may take before the test reports it as hung. */
const RUN_LIMIT_MS = 5_000;

/**
 * Runs Connect, SendMessage from inside SMTP_CONNECTED and CommandQUIT from inside
 * SMTP_SEND_MESSAGE against the shared server, and resolves once both ends are closed.
 */
async function runSession(label: string, dwFlags: number): Promise<SessionRun> {
  const { network, sockets } = recordingNetwork();
  const transport = createSMTPTransport({ clientName: CLIENT_NAME, network });
  const recorder = new TraceRecorder(transport);
  const message = smtpMessage("a@x.test", ["b@y.test"], "Subject: cut\r\n\r\n.Hello.\r\n");
  recorder.onResponse = (response) => {
    if (response.fDone && response.command === SMTP_CONNECTED) {
      transport.SendMessage(message);
    }
    if (response.command === SMTP_SEND_MESSAGE) {
      transport.CommandQUIT();
    }
  };
  transport.InitNew(null, recorder);
  transport.Connect(inetServer(server.port, { dwFlags }), false, true);

  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: the session did not end`)), RUN_LIMIT_MS);
  });
  try {
    await Promise.race([recorder.disconnected(), limit]);
    const connection = await Promise.race([server.waitForClose(), limit]);
    await turns(2);
    return {
      recorder,
      clientDestroyed: sockets.every((socket) => socket.destroyed),
      clientBytesRead: sockets[0]?.bytesRead ?? 0,
      serverSent: connection.sent,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Active handles and requests by kind, such as `{ TCPSocketWrap: 2, Timeout: 1 }`. */
function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Lists the kinds of resource more active now than in `before`, with both counts. */
function resourcesAbove(before: Record<string, number>): string[] {
  return Object.entries(resourceCounts())
    .filter(([kind, count]) => count > (before[kind] ?? 0))
    .map(([kind, count]) => `${kind}: ${count}, was ${before[kind] ?? 0}`);
}

/**
 * Waits up to 50 event-loop turns for no kind of resource to be more active than in `before`,
 * and returns the kinds still above. Closed handles leave the list one turn or two after their
 * close. Counts may also drop below `before`, because the test runner has timers of its own.
 */
async function leftBehind(before: Record<string, number>): Promise<string[]> {
  let above = resourcesAbove(before);
  for (let turn = 0; turn < 50 && above.length > 0; turn += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    above = resourcesAbove(before);
  }
  return above;
}

/** Returns the text of the last complete line within the first `count` bytes, or null. */
function lastCompleteLine(bytes: Buffer, count: number): string | null {
  const end = bytes.subarray(0, count).lastIndexOf(0x0a);
  if (end === -1) {
    return null;
  }

  const start = bytes.lastIndexOf(0x0a, end - 1) + 1;
  return bytes.subarray(start, end - 1).toString("latin1");
}

function completions(run: SessionRun, command: SMTPCOMMAND): number {
  return run.recorder.responses.filter((response) => response.fDone && response.command === command)
    .length;
}

/** A session to cut, and the reply lines that end its connect phase and its message. */
interface CutSession {
  name: string;
  options: ScriptedServerOptions;
  dwFlags: number;
  connectedAfter: string;
  sentAfter: string;
  /** hrResult of SMTP_SEND_MESSAGE once the message ended. */
  sentResult: number;
}

const SESSIONS: CutSession[] = [
  {
    name: "HELO session",
    options: {},
    dwFlags: 0,
    connectedAfter: "250 mail.test\r\n",
    sentAfter: "250 2.0.0 Ok: queued as 4F1C2\r\n",
    sentResult: S_OK,
  },
  {
    name: "multi-line EHLO session",
    options: {
      greeting: "220-mail.test ESMTP\r\n220 ready\r\n",
      replies: { DOT: "250-2.0.0 Ok\r\n250 2.0.0 queued as 7A2B\r\n" },
    },
    dwFlags: ISF_QUERYDSNSUPPORT,
    connectedAfter: "250 SIZE 10240000\r\n",
    sentAfter: "250 2.0.0 queued as 7A2B\r\n",
    sentResult: S_OK,
  },
  {
    name: "rejected recipient session",
    options: { replies: { RCPT: "550 5.1.1 <b@y.test>: User unknown\r\n" } },
    dwFlags: 0,
    connectedAfter: "250 mail.test\r\n",
    // The reply to the RSET that follows the rejection.
    sentAfter: "250 2.0.0 Ok\r\n",
    sentResult: IXP_E_SMTP_REJECTED_RECIPIENTS,
  },
];

/** Returns the offset just past `line` in `script`, which must contain it. */
function offsetAfter(script: Buffer, line: string): number {
  const at = script.indexOf(line);
  expect(at).toBeGreaterThan(-1);
  return at + Buffer.byteLength(line);
}

describe("connection cut at every byte", () => {
  for (const session of SESSIONS) {
    it(`${session.name} ends exactly once`, { timeout: 60_000 }, async () => {
      server.setOptions(session.options);
      const full = await runSession(`uncut ${session.name}`, session.dwFlags);
      const script = full.serverSent;
      const connectedAt = offsetAfter(script, session.connectedAfter);
      const sentAt = offsetAfter(script, session.sentAfter);
      expect(completions(full, SMTP_QUIT)).toBe(1);
      expect(script.toString("latin1").endsWith("221 2.0.0 Bye\r\n")).toBe(true);

      for (const after of ["close", "reset"] as const) {
        for (let offset = 0; offset <= script.length; offset += 1) {
          const label = `${session.name} cut with ${after} after byte ${offset} of ${script.length}`;
          server.setOptions({ ...session.options, cutAfterBytes: { bytes: offset, after } });
          const before = resourceCounts();
          const run = await runSession(label, session.dwFlags);
          const { recorder } = run;
          const error = recorder.errors[0];

          expect(run.serverSent.equals(script.subarray(0, offset)), label).toBe(true);
          if (after === "close") {
            expect(run.clientBytesRead, label).toBe(offset);
          }
          expect(run.clientDestroyed, label).toBe(true);
          expectDisconnectedLast(recorder);

          if (offset < connectedAt) {
            expect(completions(run, SMTP_CONNECTED), label).toBe(0);
            expect(recorder.errors, label).toHaveLength(1);
          } else if (offset < sentAt) {
            expect(completions(run, SMTP_CONNECTED), label).toBe(1);
            expect(completions(run, SMTP_SEND_MESSAGE), label).toBe(0);
            expect(recorder.errors, label).toHaveLength(1);
          } else {
            const sent = recorder.responses.filter((r) => r.command === SMTP_SEND_MESSAGE);
            expect(
              sent.map((r) => nameOf(r.rIxpResult.hrResult)),
              label,
            ).toEqual([nameOf(session.sentResult)]);
            expect(recorder.errors, label).toEqual([]);
            expect(completions(run, SMTP_QUIT), label).toBe(offset === script.length ? 1 : 0);
          }

          if (error !== undefined) {
            const errorLine = recorder.lines.findIndex((line) => line.startsWith("error{"));
            expect(recorder.lines.slice(errorLine + 1), label).toEqual(["status IXP_DISCONNECTED"]);
            expect(
              [IXP_E_CONNECTION_DROPPED, IXP_E_FAILED_TO_CONNECT].map(nameOf),
              label,
            ).toContain(nameOf(error.hrResult));
            expect(error.pszResponse, label).toBe(lastCompleteLine(script, offset));
            expect(error.dwSocketError, label).toBe(after === "reset" ? 10054 : 0);
          }

          expect(await leftBehind(before), label).toEqual([]);
        }
      }

      expect(escaped).toEqual([]);
    });
  }
});
