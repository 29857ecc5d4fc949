// Records what a watch tells its consumer, and lets a test wait for a condition on it.
import type { WatchHandlers, WatchMode } from '../payment-api.ts';
import type { PaymentRequest } from '../wire.ts';

export class WatchRecorder implements WatchHandlers {
  readonly changes: PaymentRequest[] = [];
  readonly modes: WatchMode[] = [];
  readonly #waiters = new Set<() => void>();

  onChange(request: PaymentRequest): void {
    this.changes.push(request);
    this.#wake();
  }

  onMode(mode: WatchMode): void {
    this.modes.push(mode);
    this.#wake();
  }

  get statuses(): string[] {
    return this.changes.map((change) => change.status);
  }

  /**
   * Resolves once `condition` holds, checked on every handler call and every 10 ms (a condition
   * may be about the server's side too); rejects after `timeoutMs` with what was seen so far.
   */
  until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const finish = (error?: Error) => {
        clearInterval(recheck);
        clearTimeout(deadline);
        this.#waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (condition()) finish();
      };
      const recheck = setInterval(check, 10);
      const deadline = setTimeout(
        () =>
          finish(
            new Error(
              `watch condition not met in ${timeoutMs} ms; modes ${JSON.stringify(this.modes)}, statuses ${JSON.stringify(this.statuses)}`,
            ),
          ),
        timeoutMs,
      );
      this.#waiters.add(check);
    });
  }

  #wake(): void {
    for (const check of [...this.#waiters]) check();
  }
}

/** Real time passing, for tests that must show nothing happens meanwhile. */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
