// The attendant PIN pad: scrypt hashes, five failures lock it for exactly five minutes, and an
// unlocked session lapses five minutes after the last attendant command. Time is a fake clock
// the tests move by hand; the PIN's hash lives in memory.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AttendantLock,
  DEMO_PIN,
  hashPin,
  LOCKOUT_MS,
  MAX_PIN_FAILURES,
  pinMatches,
  SESSION_IDLE_MS,
  type PinHashStore,
} from './attendant-lock.ts';

class InMemoryPinHashStore implements PinHashStore {
  hash: string | null = null;
  async read(): Promise<string | null> {
    return this.hash;
  }
  async write(hash: string): Promise<void> {
    this.hash = hash;
  }
}

/** A clock that stands still until the test moves it. */
function fakeClock(start = Date.UTC(2026, 10, 25, 9, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    at: (offsetMs: number) => new Date(start + offsetMs).toISOString(),
  };
}

const PIN = '482913';
const WRONG = '000000';

describe('PIN hashes', () => {
  it('stores scrypt$salt$key, salted afresh each time, never the PIN', async () => {
    const first = await hashPin(PIN);
    const second = await hashPin(PIN);
    expect(first).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(first).not.toContain(PIN);
    expect(second).not.toBe(first);
  });

  it('matches the PIN it was made from and nothing else', async () => {
    const stored = await hashPin(PIN);
    expect(await pinMatches(PIN, stored)).toBe(true);
    expect(await pinMatches(WRONG, stored)).toBe(false);
    expect(await pinMatches(`${PIN}0`, stored)).toBe(false);
  });

  it('refuses a stored value it cannot read', async () => {
    await expect(pinMatches(PIN, 'plain:482913')).rejects.toThrow('unreadable attendant PIN hash');
    await expect(pinMatches(PIN, 'scrypt$$')).rejects.toThrow('unreadable attendant PIN hash');
  });
});

describe('AttendantLock', () => {
  let pinHashes: InMemoryPinHashStore;
  let clock: ReturnType<typeof fakeClock>;
  let lock: AttendantLock;

  beforeEach(async () => {
    pinHashes = new InMemoryPinHashStore();
    clock = fakeClock();
    lock = new AttendantLock(pinHashes, clock.now);
  });

  async function setPin(pin = PIN): Promise<void> {
    await lock.changePin(pin);
  }

  async function fail(times: number) {
    const replies = [];
    for (let attempt = 0; attempt < times; attempt += 1) replies.push(await lock.unlock(WRONG));
    return replies;
  }

  it('counts parallel guesses one by one: the lock-out holds against a burst', async () => {
    const burst = Array.from({ length: MAX_PIN_FAILURES + 5 }, () => lock.unlock(WRONG));
    const replies = await Promise.all([...burst, lock.unlock(DEMO_PIN)]);
    expect(replies.at(-1)).toMatchObject({ unlocked: false });
    expect(replies.at(-1)).not.toEqual({ unlocked: false, lockedUntil: null });
  });

  it('opens for no PIN, not even the demo one, when the stored hash cannot be read', async () => {
    pinHashes.hash = 'garbled';
    expect(await lock.unlock(DEMO_PIN)).toMatchObject({ unlocked: false });
  });

  describe('the demo PIN', () => {
    it('opens the pad until a PIN is set', async () => {
      expect(await lock.usesDemoPin()).toBe(true);
      expect(await lock.unlock(DEMO_PIN)).toEqual({ unlocked: true });
    });

    it('stops working once a PIN is set, which is kept only as a hash', async () => {
      await setPin();
      expect(await lock.usesDemoPin()).toBe(false);
      const stored = pinHashes.hash;
      expect(stored).toMatch(/^scrypt\$/);
      expect(stored).not.toContain(PIN);
      expect(await lock.unlock(DEMO_PIN)).toEqual({ unlocked: false, lockedUntil: null });
      expect(await lock.unlock(PIN)).toEqual({ unlocked: true });
    });
  });

  describe('lock-out', () => {
    beforeEach(async () => {
      await setPin();
    });

    it('allows four wrong PINs without locking', async () => {
      expect(MAX_PIN_FAILURES).toBe(5);
      expect(await fail(MAX_PIN_FAILURES - 1)).toEqual(
        Array.from({ length: 4 }, () => ({ unlocked: false, lockedUntil: null })),
      );
      expect(lock.state()).toEqual({ unlocked: false, lockedUntil: null });
      expect(await lock.unlock(PIN)).toEqual({ unlocked: true });
    });

    it('locks for five minutes on the fifth wrong PIN', async () => {
      expect(LOCKOUT_MS).toBe(5 * 60_000);
      await fail(4);
      clock.advance(1_000);
      expect(await lock.unlock(WRONG)).toEqual({
        unlocked: false,
        lockedUntil: clock.at(1_000 + LOCKOUT_MS),
      });
      expect(lock.state()).toEqual({ unlocked: false, lockedUntil: clock.at(1_000 + LOCKOUT_MS) });
    });

    it('refuses even the right PIN while locked, without extending the lock', async () => {
      await fail(5);
      const until = clock.at(LOCKOUT_MS);
      clock.advance(60_000);
      expect(await lock.unlock(PIN)).toEqual({ unlocked: false, lockedUntil: until });
      expect(await lock.unlock(WRONG)).toEqual({ unlocked: false, lockedUntil: until });
      expect(lock.state().unlocked).toBe(false);
    });

    it('ends exactly five minutes after the fifth failure', async () => {
      await fail(5);
      clock.advance(LOCKOUT_MS - 1);
      expect(lock.state().lockedUntil).toBe(clock.at(LOCKOUT_MS));
      expect(await lock.unlock(PIN)).toEqual({
        unlocked: false,
        lockedUntil: clock.at(LOCKOUT_MS),
      });
      clock.advance(1);
      expect(lock.state()).toEqual({ unlocked: false, lockedUntil: null });
      expect(await lock.unlock(PIN)).toEqual({ unlocked: true });
    });

    it('counts afresh after a lock-out: four more failures do not lock, a fifth does', async () => {
      await fail(5);
      clock.advance(LOCKOUT_MS);
      for (const reply of await fail(4)) expect(reply.unlocked).toBe(false);
      expect(lock.state()).toEqual({ unlocked: false, lockedUntil: null });
      expect(await lock.unlock(WRONG)).toEqual({
        unlocked: false,
        lockedUntil: clock.at(2 * LOCKOUT_MS),
      });
    });

    // BUG: after a lock-out has ended, `#lockedUntil` keeps the past instant, so each wrong PIN
    // is answered with that stale `lockedUntil` instead of null (state() says null). PinScreen
    // takes a non-null lockedUntil for a lock-out and shows no "wrong PIN" message.
    it('answers a wrong PIN after the lock-out ended with lockedUntil null', async () => {
      await fail(5);
      clock.advance(LOCKOUT_MS);
      expect(await lock.unlock(WRONG)).toEqual({ unlocked: false, lockedUntil: null });
    });

    it('a right PIN clears the failures counted so far', async () => {
      await fail(4);
      expect(await lock.unlock(PIN)).toEqual({ unlocked: true });
      expect(await fail(4)).toContainEqual({ unlocked: false, lockedUntil: null });
      expect(lock.state().lockedUntil).toBeNull();
    });
  });

  describe('session', () => {
    beforeEach(async () => {
      await setPin();
    });

    it('is closed until the PIN is entered', () => {
      expect(lock.touch()).toBe(false);
      expect(lock.state()).toEqual({ unlocked: false, lockedUntil: null });
    });

    it('lapses exactly five minutes after unlocking without a touch', async () => {
      expect(SESSION_IDLE_MS).toBe(5 * 60_000);
      await lock.unlock(PIN);
      clock.advance(SESSION_IDLE_MS - 1);
      expect(lock.state().unlocked).toBe(true);
      clock.advance(1);
      expect(lock.state().unlocked).toBe(false);
      expect(lock.touch()).toBe(false);
    });

    it('each touch keeps it open another five minutes', async () => {
      await lock.unlock(PIN);
      clock.advance(4 * 60_000);
      expect(lock.touch()).toBe(true);
      clock.advance(4 * 60_000);
      expect(lock.touch()).toBe(true);
      clock.advance(SESSION_IDLE_MS - 1);
      expect(lock.state().unlocked).toBe(true);
      clock.advance(1);
      expect(lock.touch()).toBe(false);
    });

    it('a lapsed session stays closed: a later touch does not reopen it', async () => {
      await lock.unlock(PIN);
      clock.advance(SESSION_IDLE_MS);
      expect(lock.touch()).toBe(false);
      clock.advance(-1);
      expect(lock.touch()).toBe(false);
    });

    it('lock() closes it at once', async () => {
      await lock.unlock(PIN);
      lock.lock();
      expect(lock.touch()).toBe(false);
      expect(lock.state().unlocked).toBe(false);
    });
  });
});
