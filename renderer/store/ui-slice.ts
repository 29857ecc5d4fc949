// What only the screen knows: the amount being keyed, the chosen method, the open attendant
// page, the last command error, and how many commands are in flight.
import type { StateCreator } from 'zustand/vanilla';
import type { CommandFailure, CommandName, PaymentMethod } from '../contract.ts';
import { dropLastDigit, keyDigits } from '../money.ts';
import type { KioskStoreState } from './types.ts';

/** Screens before a sale exists. */
export type PreSaleView = 'attract' | 'amount' | 'method';

export type AttendantPage = 'pin' | 'menu' | 'refund' | 'journal' | 'settings' | 'devices';

/** A command that did not do what was asked. */
export type UiError =
  /** The terminal refused it (`{ok: false}`). */
  | { kind: 'refused'; command: CommandName; failure: CommandFailure }
  /** It never got an answer: the bridge dropped or timed out. It may or may not have run. */
  | { kind: 'transport'; command: CommandName; reason: 'disconnected' | 'timeout' | 'unexpected' };

export type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

export interface UiSlice {
  view: PreSaleView;
  /** The keyed amount, integer minor units. */
  amount: number;
  method: PaymentMethod | null;
  attendantPage: AttendantPage | null;
  lastError: UiError | null;
  /** Commands sent and not yet answered; controls that send commands wait while it is > 0. */
  inFlight: number;

  beginSale(): void;
  keyDigit(digit: Digit): void;
  keyDoubleZero(): void;
  deleteDigit(): void;
  clearAmount(): void;
  /** Moves on to the method choice; ignored while the amount is zero. */
  confirmAmount(): void;
  backToAmount(): void;
  chooseMethod(method: PaymentMethod): void;
  openAttendant(page: AttendantPage): void;
  closeAttendant(): void;
  commandStarted(): void;
  commandAnswered(error: UiError | null): void;
  clearError(): void;
  /** Back to the attract screen with nothing keyed (idle timeout, end of a visit). */
  resetUi(): void;
}

export const createUiSlice: StateCreator<KioskStoreState, [], [], UiSlice> = (set) => ({
  view: 'attract',
  amount: 0,
  method: null,
  attendantPage: null,
  lastError: null,
  inFlight: 0,

  beginSale: () => set({ view: 'amount', amount: 0, method: null, attendantPage: null }),
  keyDigit: (digit) => set((s) => ({ amount: keyDigits(s.amount, digit) })),
  keyDoubleZero: () => set((s) => ({ amount: keyDigits(s.amount, '00') })),
  deleteDigit: () => set((s) => ({ amount: dropLastDigit(s.amount) })),
  clearAmount: () => set({ amount: 0 }),
  confirmAmount: () => set((s) => (s.amount > 0 ? { view: 'method' } : {})),
  backToAmount: () => set({ view: 'amount', method: null }),
  chooseMethod: (method) => set({ method }),
  openAttendant: (page) => set({ attendantPage: page }),
  closeAttendant: () => set({ attendantPage: null }),
  commandStarted: () => set((s) => ({ inFlight: s.inFlight + 1, lastError: null })),
  commandAnswered: (error) =>
    set((s) => ({ inFlight: Math.max(0, s.inFlight - 1), ...(error ? { lastError: error } : {}) })),
  clearError: () => set({ lastError: null }),
  resetUi: () =>
    set({ view: 'attract', amount: 0, method: null, attendantPage: null, lastError: null }),
});
