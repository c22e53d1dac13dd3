import { commandName } from "../compat/names.js";
import { SMTP_SEND_STREAM, type SMTPCOMMAND } from "../imnxport/enums.js";
import type { SMTPRESPONSE } from "../imnxport/structs.js";

/**
 * One OnResponse of the transport, copied out of its SMTPRESPONSE under idiomatic names: a reply
 * line from the server, a progress report while the body is sent, or the end of an operation.
 */
export interface SMTPResponseEvent {
  /** The SMTPCOMMAND value the response is for. */
  command: SMTPCOMMAND;
  /** The IDL name of `command`, such as `SMTP_RCPT`. */
  commandName: string;
  /** False on the continuation lines (`250-…`) of a multi-line reply; `fDone` in the IDL. */
  done: boolean;
  /** `rIxpResult.hrResult`: the HRESULT of the reply or of the finished operation. */
  hresult: number;
  /** The reply line, or null for responses that no reply line caused (SMTP_CONNECTED, progress). */
  response: string | null;
  /** The reply code of `response`, or 0. */
  code: number;
  /** Body progress in bytes, for SMTP_SEND_STREAM only. */
  stream: { increment: number; current: number; total: number } | null;
}

/** Copy an SMTPRESPONSE into an event that owns its data. */
export function toResponseEvent(response: SMTPRESPONSE): SMTPResponseEvent {
  const result = response.rIxpResult;
  const info = response.rStreamInfo;
  return {
    command: response.command,
    commandName: commandName(response.command),
    done: response.fDone,
    hresult: result.hrResult >>> 0,
    response: result.pszResponse,
    code: result.uiServerError,
    stream:
      response.command === SMTP_SEND_STREAM
        ? { increment: info.cbIncrement, current: info.cbCurrent, total: info.cbTotal }
        : null,
  };
}

interface Subscriber {
  queue: SMTPResponseEvent[];
  wake: (() => void) | null;
}

/**
 * Fans response events out to async iterators. Each iterator receives the events published after
 * it was created, and finishes once the channel is closed and its queue is drained.
 *
 * NOTE: an iterator buffers every event until it is read, without a limit. A consumer that stops
 * reading should leave its loop (`break`), which unsubscribes it.
 */
export class ResponseChannel {
  readonly #subscribers = new Set<Subscriber>();
  #closed = false;

  publish(event: SMTPResponseEvent): void {
    for (const subscriber of this.#subscribers) {
      subscriber.queue.push(event);
      subscriber.wake?.();
    }
  }

  /** End every iterator after the events already queued. */
  close(): void {
    this.#closed = true;
    for (const subscriber of this.#subscribers) {
      subscriber.wake?.();
    }
  }

  subscribe(): AsyncIterableIterator<SMTPResponseEvent> {
    const subscriber: Subscriber = { queue: [], wake: null };
    if (!this.#closed) {
      this.#subscribers.add(subscriber);
    }

    const finish = (): IteratorResult<SMTPResponseEvent> => {
      this.#subscribers.delete(subscriber);
      subscriber.queue.length = 0;
      subscriber.wake?.();
      return { done: true, value: undefined };
    };

    const iterator: AsyncIterableIterator<SMTPResponseEvent> = {
      next: async () => {
        while (
          subscriber.queue.length === 0 &&
          !this.#closed &&
          this.#subscribers.has(subscriber)
        ) {
          await new Promise<void>((resolve) => {
            subscriber.wake = resolve;
          });
          subscriber.wake = null;
        }

        const event = subscriber.queue.shift();
        return event === undefined ? finish() : { done: false, value: event };
      },
      return: async () => finish(),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
