import { connect } from "../../src/index.js";
import { generatedReadable } from "../content.js";
import { type BenchClient, CLIENT_NAME, recipientsOf, SENDER } from "./types.js";

/**
 * Drives imnxport's promise API: `connect`, one awaited `SMTPClient.send` per message, then
 * `quit`, which resolves once the connection has closed. Message workloads pass the same Buffer
 * every time; the stream workload passes a Readable that generates the bytes as it is read.
 */
export const imnxportPromise: BenchClient = {
  id: "imnxport-promise",
  available: true,
  async send(plan) {
    const client = await connect({ host: plan.host, port: plan.port, clientName: CLIENT_NAME });
    let accepted = 0;
    try {
      for (let index = 0; index < plan.count; index += 1) {
        const message = plan.body ?? generatedReadable(plan.streamBytes);
        await client.send({ from: SENDER, to: recipientsOf(plan, index), message });
        accepted += 1;
      }
    } finally {
      await client.quit();
    }
    return accepted;
  },
};
