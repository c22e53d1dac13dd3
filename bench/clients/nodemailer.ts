import SMTPConnection from "nodemailer/lib/smtp-connection";
import { generatedReadable } from "../content.js";
import { type BenchClient, CLIENT_NAME, recipientsOf, SENDER, type SendPlan } from "./types.js";

function connect(connection: SMTPConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.connect((error) => (error ? reject(error) : resolve()));
  });
}

function sendOne(connection: SMTPConnection, plan: SendPlan, index: number): Promise<void> {
  const envelope = { from: SENDER, to: recipientsOf(plan, index) };
  const message = plan.body ?? generatedReadable(plan.streamBytes);
  return new Promise((resolve, reject) => {
    connection.send(envelope, message, (error, info) => {
      if (error) {
        reject(error);
        return;
      }
      if (info.rejected.length > 0) {
        reject(new Error(`Recipients rejected: ${info.rejected.join(", ")}`));
        return;
      }
      resolve();
    });
  });
}

/**
 * nodemailer's SMTPConnection (nodemailer/lib/smtp-connection): connect, one `send` per message
 * with its own DataStream dot-stuffing, then `quit`, resolved on the "end" event. nodemailer
 * 10 writes MAIL, every RCPT and DATA in one batch when the server lists PIPELINING.
 */
async function sendAll(plan: SendPlan): Promise<number> {
  const connection = new SMTPConnection({
    host: plan.host,
    port: plan.port,
    name: CLIENT_NAME,
    ignoreTLS: true,
    logger: false,
    debug: false,
  });
  const ended = new Promise<void>((resolve) => connection.once("end", () => resolve()));
  let failure: Error | null = null;
  connection.on("error", (error: Error) => {
    failure ??= error;
  });

  await connect(connection);
  let accepted = 0;
  try {
    for (let index = 0; index < plan.count; index += 1) {
      await sendOne(connection, plan, index);
      accepted += 1;
    }
  } finally {
    connection.quit();
    await ended;
  }

  if (failure !== null) {
    throw failure;
  }
  return accepted;
}

export const nodemailerClient: BenchClient = {
  id: "nodemailer",
  available: true,
  send: sendAll,
};

/** The same client; run.ts points it at the sink that does not list PIPELINING. */
export const nodemailerWithoutPipelining: BenchClient = {
  id: "nodemailer-no-pipelining",
  available: true,
  send: sendAll,
};
