import type { BenchClient, ClientId } from "./types.js";

/**
 * Loads one client's module. Each child process imports only the client it measures, so no
 * client's peak RSS includes another client's code.
 */
export async function loadClient(id: ClientId): Promise<BenchClient> {
  switch (id) {
    case "imnxport-legacy":
      return (await import("./imnxport-legacy.js")).imnxportLegacy;
    case "imnxport-pipelined":
      return (await import("./imnxport-legacy.js")).imnxportPipelined;
    case "imnxport-promise":
      return (await import("./imnxport-promise.js")).imnxportPromise;
    case "nodemailer":
      return (await import("./nodemailer.js")).nodemailerClient;
    case "nodemailer-no-pipelining":
      return (await import("./nodemailer.js")).nodemailerWithoutPipelining;
    case "raw-socket":
      return (await import("./raw-socket.js")).rawSocketClient;
  }
}
