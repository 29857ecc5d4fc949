// A stand-in for the vending machine's cashless reader (VendingReader) in runner tests: records
// every command the kiosk gives the machine and lets the test play the driver's notifications.
// Commands succeed at once unless a test sets `fail` (a lost link, as VendingReader reports it);
// what a command leads to arrives only when the test emits it, as with the real driver.
import { CashlessError, type VendOutcome } from '../../../hardware/mdb/cashless-driver.ts';
import type {
  CashlessNotification,
  SessionEndReason,
} from '../../../hardware/mdb/cashless-session.ts';
import type { CashlessCommands } from '../vending-reader.ts';

/** One command as the machine received it: `startSession 500`, `approveVend 250`, `endSession`. */
export type ReaderCommand =
  `startSession ${number}` | `approveVend ${number}` | 'denyVend' | 'endSession';

export class FakeCashlessReader implements CashlessCommands {
  readonly commands: ReaderCommand[] = [];
  /** When set, every command fails as if no adapter were open. */
  fail = false;
  readonly #listeners = new Set<(notification: CashlessNotification) => void>();

  subscribe(listener: (notification: CashlessNotification) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** How many listeners are subscribed now. */
  get listeners(): number {
    return this.#listeners.size;
  }

  /** Plays one driver notification to every listener, synchronously, as the driver does. */
  emit(notification: CashlessNotification): void {
    for (const listener of [...this.#listeners]) listener(notification);
  }

  startSession(creditMinor: number): Promise<void> {
    return this.#command(`startSession ${creditMinor}`, undefined);
  }

  approveVend(priceMinor: number): Promise<VendOutcome> {
    return this.#command(`approveVend ${priceMinor}`, {
      result: 'succeeded',
      priceMinor,
      item: 0,
    });
  }

  denyVend(): Promise<void> {
    return this.#command('denyVend', undefined);
  }

  endSession(): Promise<SessionEndReason> {
    return this.#command('endSession', 'kioskStopped');
  }

  async #command<T>(command: ReaderCommand, value: T): Promise<T> {
    this.commands.push(command);
    if (this.fail) throw new CashlessError('disconnected', 'no vending adapter is open');
    return value;
  }
}
