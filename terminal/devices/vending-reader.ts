// The vending machine's cashless reader as the kiosk's vending flow sees it: one object for the
// kiosk's whole life, forwarding commands to whichever driver the device manager has open and
// passing on that driver's notifications. The driver behind it changes when the adapter is found
// on another port; while none is open, commands fail as a lost link would.
import {
  CashlessError,
  type CashlessDriver,
  type VendOutcome,
} from '../../hardware/mdb/cashless-driver.ts';
import type {
  CashlessNotification,
  SessionEndReason,
} from '../../hardware/mdb/cashless-session.ts';

/** The commands the vending flow gives the machine (see CashlessDriver for what each waits for). */
export interface CashlessCommands {
  startSession(creditMinor: number): Promise<void>;
  approveVend(priceMinor: number): Promise<VendOutcome>;
  denyVend(): Promise<void>;
  endSession(): Promise<SessionEndReason>;
}

/** The reader as the vending flow drives it: commands out, the machine's notifications in. */
export interface CashlessReader extends CashlessCommands {
  subscribe(listener: (notification: CashlessNotification) => void): () => void;
}

export class VendingReader implements CashlessReader {
  #driver: CashlessDriver | null = null;
  #detach: (() => void) | null = null;
  readonly #listeners = new Set<(notification: CashlessNotification) => void>();

  /** From now on commands go to `driver`, and its notifications reach the listeners. */
  attach(driver: CashlessDriver): void {
    if (this.#driver === driver) return;
    this.#detach?.();
    this.#driver = driver;
    this.#detach = driver.subscribe((notification) => {
      for (const listener of [...this.#listeners]) listener(notification);
    });
  }

  subscribe(listener: (notification: CashlessNotification) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  startSession(creditMinor: number): Promise<void> {
    return this.#with((driver) => driver.startSession(creditMinor));
  }

  approveVend(priceMinor: number): Promise<VendOutcome> {
    return this.#with((driver) => driver.approveVend(priceMinor));
  }

  denyVend(): Promise<void> {
    return this.#with((driver) => driver.denyVend());
  }

  endSession(): Promise<SessionEndReason> {
    return this.#with((driver) => driver.endSession());
  }

  /** A command the driver refuses in its phase fails like any other: the flow hears why. */
  async #with<T>(command: (driver: CashlessDriver) => Promise<T>): Promise<T> {
    if (!this.#driver) throw new CashlessError('disconnected', 'no vending adapter is open');
    return command(this.#driver);
  }
}
