// A vending adapter's driver as the device manager opens and watches it. "Connected" means the
// adapter answers: the machine may still keep its reader disabled for a while, and that is the
// reader's state (shown by the vending flow), not a fault of the link. A silent adapter or a lost
// link is reported as closed, so the manager reopens it with backoff like any other device.
import type { CashlessDriver } from '../../hardware/mdb/cashless-driver.ts';

export interface CashlessDevice {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Why the link ended, once per loss. */
  onLost(listener: (reason: string) => void): () => void;
}

export function cashlessDevice(driver: CashlessDriver): CashlessDevice {
  const lostListeners = new Set<(reason: string) => void>();
  const lost = (reason: string) => {
    for (const listener of [...lostListeners]) listener(reason);
  };
  driver.subscribe((notification) => {
    if (notification.type === 'adapterSilent') lost('the adapter stopped answering');
    if (notification.type === 'disconnected') lost(`link ${notification.reason}`);
  });
  return {
    start: () =>
      new Promise<void>((resolve, reject) => {
        let identified = false;
        const stopWaiting = driver.subscribe((notification) => {
          if (notification.type !== 'adapterIdentified') return;
          identified = true;
          stopWaiting();
          resolve();
        });
        // Resolves once the reader is enabled, which may be much later. A failure before the
        // adapter answered fails the open; one after it (a setting it never confirmed) is a
        // lost link, reopened with backoff. Either way the driver is closed, so the next open
        // can start it again.
        driver.start().then(resolve, async (error: unknown) => {
          stopWaiting();
          await driver.close().catch(() => undefined);
          const failure = error instanceof Error ? error : new Error(String(error));
          if (identified) lost(failure.message);
          else reject(failure);
        });
      }),
    stop: () => driver.close(),
    onLost(listener) {
      lostListeners.add(listener);
      return () => void lostListeners.delete(listener);
    },
  };
}
