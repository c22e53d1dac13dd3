import { type HRESULT, S_OK } from "../../imnxport/hresults.js";

/** Seconds a wait lasts when INETSERVER.dwTimeout is 0 (a package decision). */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * Seconds the transport waits at least for the reply to the final dot. RFC 5321 §4.5.3.2.6
 * gives 10 minutes, because giving up earlier makes the sender retry a message the server may
 * already have accepted.
 */
export const MIN_DOT_TIMEOUT_SECONDS = 600;

/** The longest delay Node's setTimeout honors. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One wait with a time limit, extended through ITransportCallback::OnTimeout.
 *
 * When the limit passes, `askToWait` receives a box holding the seconds just waited; S_OK
 * (with the box possibly changed) waits again, anything else calls `onExpired`. Cancelling or
 * re-arming makes any answer still on its way irrelevant.
 */
export class Deadline {
  #timer: NodeJS.Timeout | null = null;
  #generation = 0;

  constructor(
    private readonly askToWait: (box: { value: number }) => Promise<HRESULT>,
    private readonly onExpired: () => void,
  ) {}

  get armed(): boolean {
    return this.#timer !== null;
  }

  /** Start the wait; with `ask` false the expiry skips OnTimeout and ends the wait at once. */
  arm(seconds: number, ask = true): void {
    this.cancel();
    this.#schedule(this.#generation, seconds, seconds * 1000, ask);
  }

  /**
   * Node fires timers longer than 2^31 - 1 ms after 1 ms, so a long wait (dwTimeout is a
   * DWORD of seconds) runs as a chain of timers no longer than that.
   */
  #schedule(generation: number, seconds: number, remainingMs: number, ask: boolean): void {
    const delay = Math.min(remainingMs, MAX_TIMER_MS);
    this.#timer = setTimeout(() => {
      if (remainingMs > MAX_TIMER_MS) {
        this.#schedule(generation, seconds, remainingMs - MAX_TIMER_MS, ask);
        return;
      }

      void this.#expire(generation, seconds, ask);
    }, delay);
  }

  cancel(): void {
    this.#generation += 1;
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  async #expire(generation: number, seconds: number, ask: boolean): Promise<void> {
    this.#timer = null;
    if (!ask) {
      this.onExpired();
      return;
    }

    const box = { value: seconds };
    const answer = await this.askToWait(box);
    if (generation !== this.#generation) {
      return;
    }

    if (answer !== S_OK) {
      this.onExpired();
      return;
    }

    const next = Number.isFinite(box.value) && box.value > 0 ? box.value : seconds;
    this.arm(next);
  }
}
