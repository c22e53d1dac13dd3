import type { BenchClient } from "./types.js";

/**
 * The slot for imnxport's promise API (`connect` and `SMTPClient`, exported from src/index.ts).
 * The tables show this column as "not available" while `available` is false.
 *
 * TODO: implement `send` with the promise API (connect, await each message in turn, quit,
 * await the close) and set `available` to true. The tables and ratios then include it.
 */
export const imnxportPromise: BenchClient = {
  id: "imnxport-promise",
  available: false,
  send() {
    return Promise.reject(new Error("The benchmark does not drive imnxport's promise API yet"));
  },
};
