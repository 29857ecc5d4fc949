// The pairing code's life on its own, with a clock the test moves.
import { describe, expect, it } from 'vitest';
import { Pairing, type PairingCode } from '../../hosts/browser/pairing.ts';

function pairingAt(start = 1_000_000) {
  let now = start;
  const pairing = new Pairing({ lifetimeMs: 60_000, maxWrongCodes: 3, now: () => now });
  const codes: PairingCode[] = [];
  pairing.onCode((code) => codes.push(code));
  return {
    pairing,
    codes,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const wrongCodeFor = (code: string) => (code === '000000' ? '000001' : '000000');

describe('Pairing', () => {
  it('draws six-digit codes, leading zeros included', () => {
    const codes = Array.from({ length: 200 }, () => pairingAt().codes[0]!.code);
    for (const code of codes) expect(code).toMatch(/^[0-9]{6}$/);
    // 200 draws from a million agree only if the draw is not random.
    expect(new Set(codes).size).toBeGreaterThan(190);
  });

  it('pairs with the right code once, then announces the next, with a lifetime of its own', () => {
    const { pairing, codes, advance } = pairingAt();
    advance(59_000);
    expect(pairing.attempt(codes[0]!.code)).toEqual({ outcome: 'paired' });
    expect(codes).toHaveLength(2);
    expect(codes[1]!.expiresAt.getTime() - codes[0]!.expiresAt.getTime()).toBe(59_000);
    advance(59_000);
    expect(pairing.attempt(codes[1]!.code)).toEqual({ outcome: 'paired' });
  });

  it('refuses a used code as wrong', () => {
    const { pairing, codes } = pairingAt();
    const first = codes[0]!.code;
    pairing.attempt(first);
    if (codes[1]!.code === first) return; // one draw in a million
    expect(pairing.attempt(first)).toEqual({ outcome: 'wrong-code', attemptsLeft: 2 });
  });

  it('expires a code at the end of its lifetime, and does not count what comes after', () => {
    const { pairing, codes, advance } = pairingAt();
    advance(60_000);
    expect(pairing.attempt(codes[0]!.code)).toEqual({ outcome: 'expired', attemptsLeft: 3 });
    expect(pairing.attempt(wrongCodeFor(codes[0]!.code))).toEqual({
      outcome: 'expired',
      attemptsLeft: 3,
    });
    expect(codes).toHaveLength(1);
  });

  it('locks for good once the wrong codes are spent, the right one included', () => {
    const { pairing, codes, advance } = pairingAt();
    const wrong = wrongCodeFor(codes[0]!.code);
    expect(pairing.attempt(wrong)).toEqual({ outcome: 'wrong-code', attemptsLeft: 2 });
    expect(pairing.attempt(wrong)).toEqual({ outcome: 'wrong-code', attemptsLeft: 1 });
    expect(pairing.attempt(wrong)).toEqual({ outcome: 'wrong-code', attemptsLeft: 0 });
    expect(pairing.attempt(codes[0]!.code)).toEqual({ outcome: 'locked', attemptsLeft: 0 });
    advance(10 * 60_000);
    expect(pairing.attempt(codes[0]!.code)).toEqual({ outcome: 'locked', attemptsLeft: 0 });
  });

  it('keeps one budget across codes: pairing does not refill it', () => {
    const { pairing, codes } = pairingAt();
    pairing.attempt(wrongCodeFor(codes[0]!.code));
    pairing.attempt(codes[0]!.code);
    expect(pairing.attempt(wrongCodeFor(codes[1]!.code))).toEqual({
      outcome: 'wrong-code',
      attemptsLeft: 1,
    });
  });

  it('counts an offer of another length as wrong, without throwing', () => {
    const { pairing, codes } = pairingAt();
    expect(pairing.attempt(`${codes[0]!.code}0`)).toEqual({
      outcome: 'wrong-code',
      attemptsLeft: 2,
    });
    expect(pairing.attempt('')).toEqual({ outcome: 'wrong-code', attemptsLeft: 1 });
  });
});
