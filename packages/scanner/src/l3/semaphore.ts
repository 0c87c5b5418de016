import type { AbortSignalLike } from './runtime.js';

/** Why a slot was not granted. */
export type SlotRefusal = 'overloaded' | 'aborted';

/**
 * A counting semaphore with a bounded queue: at most `limit` holders at once, at most `maxQueue`
 * waiters; a waiter whose signal aborts leaves the queue, so nothing waits past its deadline.
 */
export class Semaphore {
  readonly #limit: number;
  readonly #maxQueue: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number, maxQueue: number) {
    this.#limit = limit;
    this.#maxQueue = maxQueue;
  }

  /** Resolves to a release function, or to the reason no slot was granted. */
  acquire(signal: AbortSignalLike): Promise<(() => void) | SlotRefusal> {
    if (signal.aborted) return Promise.resolve('aborted');
    if (this.#active < this.#limit) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    if (this.#waiting.length >= this.#maxQueue) return Promise.resolve('overloaded');
    return new Promise((resolve) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.#active++;
        resolve(this.#releaser());
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(grant);
        if (index >= 0) this.#waiting.splice(index, 1);
        resolve('aborted');
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  /** Holders right now. */
  get active(): number {
    return this.#active;
  }

  /** Waiters right now. */
  get queued(): number {
    return this.#waiting.length;
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      this.#waiting.shift()?.();
    };
  }
}
