import { SMTP_DATA } from "../../imnxport/enums.js";
import type { MessageSource } from "../../imnxport/structs.js";
import { BodyPump, bodyFailureResult, type PumpOutcome } from "../body/body-pump.js";
import { asReadError, readMessage } from "../body/message-source.js";
import { progressTotal, streamProgressReporter } from "./message-flow.js";
import type { Reply, Session } from "./session.js";
import { sendDot } from "./single-commands.js";

/**
 * SendDataStream: the body step alone, after the caller's CommandDATA got 354. It streams the
 * body with SMTP_SEND_STREAM progress and then writes the final dot itself; the dot's reply is
 * reported as SMTP_DOT. A failed read or a NUL byte closes the connection without the dot, so
 * the server discards the partial message.
 */
export async function sendDataStream(
  session: Session,
  source: MessageSource,
  cbSize: number,
): Promise<void> {
  const socket = session.socket;
  const chunks = readMessage(source)[Symbol.asyncIterator]();
  const pump = new BodyPump(
    session,
    chunks,
    progressTotal(source, cbSize),
    streamProgressReporter(session),
  );
  session.flowActive = true;
  session.onTeardown = () => pump.abort();
  session.watchReplies({
    command: SMTP_DATA,
    onReply: (reply) => onEarlyReply(session, reply, pump),
  });

  let outcome: PumpOutcome;
  try {
    outcome = await pump.run();
  } catch (error) {
    outcome = { kind: "read-failed", error: asReadError(error) };
  }

  if (session.socket !== socket) {
    return;
  }

  session.onTeardown = null;
  switch (outcome.kind) {
    case "done":
      session.stopWatching();
      session.flowActive = false;
      sendDot(session, outcome.tail);
      return;
    case "nul":
    case "read-failed":
      session.fail(bodyFailureResult(outcome));
      return;
    case "aborted":
      return;
  }
}

/** A reply during the body: the server still reads data, so the connection cannot go on. */
function onEarlyReply(session: Session, reply: Reply, pump: BodyPump): void {
  pump.abort();
  if (reply.kind === "success") {
    session.protocolError(reply.text, reply.code);
    return;
  }

  session.drop();
}
