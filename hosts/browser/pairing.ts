// The pairing code a thin client types to earn the host's token. Six digits are few, so what
// makes them safe is how little a guesser may try: every wrong code counts against one budget
// for the whole start (not per client, so new addresses buy nothing), and when it is spent,
// pairing stays locked until the host starts again. With 5 tries against 10^6 codes a guesser
// wins once in 200,000 starts.
//
// A code is single-use and short-lived. Single-use, because a code read over the shoulder of
// whoever typed it is then worth nothing, and a thin client whose right code is refused learns
// someone got there first. Short-lived, because a code left on the console should not stay an
// open door all day. After a successful pairing the next code is drawn (and announced) so
// further thin clients can pair; a code that expires unused closes pairing until a new start.
import { randomInt, timingSafeEqual } from 'node:crypto';
import { PAIRING_CODE_DIGITS } from '../../terminal/contract/pairing-messages.ts';

export const DEFAULT_PAIRING_LIFETIME_MS = 10 * 60_000;
export const DEFAULT_MAX_WRONG_CODES = 5;

export interface PairingCode {
  /** Shown on the kiosk's own console and nowhere else: never log it. */
  code: string;
  expiresAt: Date;
}

export type PairingOutcome =
  { outcome: 'paired' } | { outcome: 'wrong-code' | 'expired' | 'locked'; attemptsLeft: number };

export interface PairingOptions {
  lifetimeMs?: number;
  maxWrongCodes?: number;
  /** Default Date.now; tests pass a clock. */
  now?: () => number;
}

export class Pairing {
  readonly #lifetimeMs: number;
  readonly #maxWrongCodes: number;
  readonly #now: () => number;
  readonly #listeners = new Set<(code: PairingCode) => void>();
  #current: PairingCode;
  #wrongCodes = 0;

  constructor(options: PairingOptions = {}) {
    this.#lifetimeMs = options.lifetimeMs ?? DEFAULT_PAIRING_LIFETIME_MS;
    this.#maxWrongCodes = options.maxWrongCodes ?? DEFAULT_MAX_WRONG_CODES;
    this.#now = options.now ?? Date.now;
    this.#current = this.#draw();
  }

  /** Calls `listener` at once with the current code, then with each next one. */
  onCode(listener: (code: PairingCode) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#current);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  get attemptsLeft(): number {
    return Math.max(0, this.#maxWrongCodes - this.#wrongCodes);
  }

  /** Tries `offered` against the current code; a right one is used up and replaced. */
  attempt(offered: string): PairingOutcome {
    // Locked and expired are checked first so that no comparison, and no count, happens once
    // pairing is closed.
    if (this.attemptsLeft === 0) return { outcome: 'locked', attemptsLeft: 0 };
    if (this.#now() >= this.#current.expiresAt.getTime()) {
      return { outcome: 'expired', attemptsLeft: this.attemptsLeft };
    }
    if (!sameCode(offered, this.#current.code)) {
      this.#wrongCodes += 1;
      return { outcome: 'wrong-code', attemptsLeft: this.attemptsLeft };
    }
    this.#current = this.#draw();
    for (const listener of [...this.#listeners]) listener(this.#current);
    return { outcome: 'paired' };
  }

  #draw(): PairingCode {
    const code = String(randomInt(10 ** PAIRING_CODE_DIGITS)).padStart(PAIRING_CODE_DIGITS, '0');
    return { code, expiresAt: new Date(this.#now() + this.#lifetimeMs) };
  }
}

/** Constant time, so response timing does not tell a guesser how many leading digits matched. */
function sameCode(offered: string, code: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(code);
  // Only the length can leak here, and every code has the same, public, length.
  return a.length === b.length && timingSafeEqual(a, b);
}
