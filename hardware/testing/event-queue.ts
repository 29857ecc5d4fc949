// Collects events from an `onX(listener)` subscription so a test can await them one by one.
// Waiting uses the real setTimeout captured at load, so a wait still times out under fake timers.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

export interface EventQueue<T> {
  /** Everything received so far, taken or not. */
  readonly all: readonly T[];
  /** The next event not yet taken; rejects after `timeoutMs` (default 2000) of real time. */
  next(timeoutMs?: number): Promise<T>;
  stop(): void;
}

export function eventQueue<T>(
  subscribe: (listener: (event: T) => void) => () => void,
): EventQueue<T> {
  const all: T[] = [];
  let taken = 0;
  let waiter: (() => void) | undefined;
  const unsubscribe = subscribe((event) => {
    all.push(event);
    waiter?.();
  });
  return {
    all,
    async next(timeoutMs = 2000) {
      if (taken >= all.length) {
        await new Promise<void>((resolve, reject) => {
          const timer = realSetTimeout(() => {
            waiter = undefined;
            reject(new Error(`no event within ${timeoutMs} ms (got ${all.length})`));
          }, timeoutMs);
          waiter = () => {
            waiter = undefined;
            realClearTimeout(timer);
            resolve();
          };
        });
      }
      return all[taken++] as T;
    },
    stop: unsubscribe,
  };
}
