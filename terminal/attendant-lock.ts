// The attendant PIN that guards refunds, the journal and settings. The PIN is kept only as a
// scrypt hash; five wrong PINs lock the pad for five minutes; an unlocked session ends after
// five minutes without an attendant command (an unattended kiosk must not stay open).
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { AttendantState } from './contract/state.ts';
import type { UnlockReply } from './contract/replies.ts';

/**
 * Where the PIN's scrypt hash is kept. It is not a secret (that is what the hash is for), so it
 * lives apart from the API key: losing the OS keyring must not lock the attendant out. A store
 * that finds a hash it cannot read throws, and then no PIN opens the pad.
 */
export interface PinHashStore {
  read(): Promise<string | null>;
  write(hash: string): Promise<void>;
}

export const MAX_PIN_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60_000;
export const SESSION_IDLE_MS = 5 * 60_000;
/** The demo seed's PIN, used until an attendant sets one (the kiosk warns at start). */
export const DEMO_PIN = '1234';

const SCRYPT: ScryptOptions = { N: 16_384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, KEY_LENGTH, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$<salt hex>$<key hex>`: parameters are fixed above, so only salt and key are stored. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${(await derive(pin, salt)).toString('hex')}`;
}

export async function pinMatches(pin: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, keyHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !keyHex) throw new Error('unreadable attendant PIN hash');
  const expected = Buffer.from(keyHex, 'hex');
  const actual = await derive(pin, Buffer.from(saltHex, 'hex'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export class AttendantLock {
  #failures = 0;
  #lockedUntil: number | null = null;
  #unlockedUntil: number | null = null;
  /** Unlocks run one at a time: parallel guesses must each count before the next is judged. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pinHashes: PinHashStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a PIN was ever set; until then the demo PIN opens the pad. */
  async usesDemoPin(): Promise<boolean> {
    return (await this.pinHashes.read()) === null;
  }

  unlock(pin: string): Promise<UnlockReply> {
    const turn = this.#queue.then(() => this.#judge(pin));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #judge(pin: string): Promise<UnlockReply> {
    const now = this.now();
    if (this.#lockedUntil !== null && now < this.#lockedUntil) {
      return { unlocked: false, lockedUntil: new Date(this.#lockedUntil).toISOString() };
    }
    this.#lockedUntil = null;
    const matches = await this.#matches(pin);
    if (matches) {
      this.#failures = 0;
      this.#lockedUntil = null;
      this.#unlockedUntil = now + SESSION_IDLE_MS;
      return { unlocked: true };
    }
    this.#failures += 1;
    if (this.#failures >= MAX_PIN_FAILURES) {
      this.#failures = 0;
      this.#lockedUntil = now + LOCKOUT_MS;
    }
    return {
      unlocked: false,
      lockedUntil: this.#lockedUntil === null ? null : new Date(this.#lockedUntil).toISOString(),
    };
  }

  /** The demo PIN until one is set; a stored hash that cannot be read matches no PIN. */
  async #matches(pin: string): Promise<boolean> {
    try {
      const stored = await this.pinHashes.read();
      return stored === null ? pin === DEMO_PIN : await pinMatches(pin, stored);
    } catch {
      return false;
    }
  }

  lock(): void {
    this.#unlockedUntil = null;
  }

  /** True while a session is open; each attendant command keeps it open a while longer. */
  touch(): boolean {
    const now = this.now();
    if (this.#unlockedUntil === null || now >= this.#unlockedUntil) {
      this.#unlockedUntil = null;
      return false;
    }
    this.#unlockedUntil = now + SESSION_IDLE_MS;
    return true;
  }

  async changePin(newPin: string): Promise<void> {
    await this.pinHashes.write(await hashPin(newPin));
  }

  state(): AttendantState {
    const now = this.now();
    const locked = this.#lockedUntil !== null && now < this.#lockedUntil;
    return {
      unlocked: this.#unlockedUntil !== null && now < this.#unlockedUntil,
      lockedUntil: locked ? new Date(this.#lockedUntil as number).toISOString() : null,
    };
  }
}
