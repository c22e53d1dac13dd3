import type { Socket } from "node:net";
import { expect } from "vitest";
import { type NetworkSeam, systemNetwork } from "../../src/compat/net/connection.js";
import { SMTP_SEND_MESSAGE, type SMTPCOMMAND } from "../../src/imnxport/enums.js";
import type { TraceRecorder } from "./trace.js";
import { nameOf } from "./trace.js";

/** The trace line of the IXP_DISCONNECTED report when it fires outside a transport call. */
export const DISCONNECTED = "status IXP_DISCONNECTED";

/** The system network seam, plus every client socket the transport opened through it. */
export interface RecordingNetwork {
  network: NetworkSeam;
  sockets: Socket[];
}

/** Creates a network seam that opens real sockets and keeps them, so tests can check they closed. */
export function recordingNetwork(): RecordingNetwork {
  const sockets: Socket[] = [];
  return {
    sockets,
    network: {
      resolve: systemNetwork.resolve,
      openSocket(address, port) {
        const socket = systemNetwork.openSocket(address, port);
        sockets.push(socket);
        return socket;
      },
    },
  };
}

/** Counts the callbacks that may end an operation: OnError, and OnResponse(`command`, fDone). */
export function terminalCallbacks(recorder: TraceRecorder, command: SMTPCOMMAND): number {
  const completions = recorder.responses.filter(
    (response) => response.fDone && response.command === command,
  ).length;
  return completions + recorder.errors.length;
}

/** Asserts that IXP_DISCONNECTED was reported exactly once, as the last callback. */
export function expectDisconnectedLast(recorder: TraceRecorder): void {
  const reports = recorder.lines.filter((line) => line.trim().startsWith(DISCONNECTED));

  expect(reports).toHaveLength(1);
  expect(recorder.lines.at(-1)?.trim().startsWith(DISCONNECTED)).toBe(true);
}

/**
 * Asserts that the session ended with one OnError carrying `hr`, followed by IXP_DISCONNECTED.
 * In between, only OnCommand lines of a courtesy QUIT may appear, never an OnResponse.
 */
export function expectFailedWith(recorder: TraceRecorder, hr: number): void {
  const errorLine = recorder.lines.findIndex((line) => line.startsWith("error{"));
  const after = recorder.lines.slice(errorLine + 1, -1);

  expect(recorder.errors).toHaveLength(1);
  expect(nameOf(recorder.errors[0]?.hrResult ?? 0)).toBe(nameOf(hr));
  expect(after.filter((line) => !/^(send "QUIT\\r\\n"|resp ")/.test(line))).toEqual([]);
  expectDisconnectedLast(recorder);
}

/** Asserts that no SMTP_SEND_MESSAGE was delivered, so no message was reported as sent. */
export function expectNoMessageResult(recorder: TraceRecorder): void {
  expect(recorder.responses.filter((response) => response.command === SMTP_SEND_MESSAGE)).toEqual(
    [],
  );
}
