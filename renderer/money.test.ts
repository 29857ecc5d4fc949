import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dropLastDigit,
  formatMoney,
  keyDigits,
  MAX_AMOUNT,
  parseMinorUnits,
  toDecimalString,
} from './money.ts';

describe('toDecimalString', () => {
  it.each([
    [0, 2, '0.00'],
    [5, 2, '0.05'],
    [99, 2, '0.99'],
    [100, 2, '1.00'],
    [1234, 2, '12.34'],
    [MAX_AMOUNT, 2, '999999.99'],
    [-1234, 2, '-12.34'],
    [-5, 2, '-0.05'],
    [1234, 0, '1234'],
    [1234, 3, '1.234'],
  ])('%i minor units with %i digits is %s', (minor, digits, expected) => {
    expect(toDecimalString(minor, digits)).toBe(expected);
  });

  it('round-trips every amount the contract allows, exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        const text = toDecimalString(minor, 2);
        expect(text).toMatch(/^[0-9]+\.[0-9]{2}$/);
        expect(BigInt(text.replace('.', ''))).toBe(BigInt(minor));
      }),
    );
  });

  it('refuses a float or an unsafe integer, naming the problem', () => {
    expect(() => toDecimalString(12.5, 2)).toThrow(TypeError);
    expect(() => toDecimalString(2 ** 53, 2)).toThrow(/integer of minor units/);
    expect(() => toDecimalString(1, -1)).toThrow(/digits/);
  });
});

describe('formatMoney', () => {
  it('formats minor units in the locale, with the currency', () => {
    expect(formatMoney(1234, 'NZD', 'en-NZ')).toBe('$12.34');
    expect(formatMoney(0, 'NZD', 'en-NZ')).toBe('$0.00');
    expect(formatMoney(MAX_AMOUNT, 'NZD', 'en-NZ')).toBe('$999,999.99');
    expect(formatMoney(1234, 'AUD', 'en-NZ')).toBe('A$12.34');
  });

  it('is exact where a float would not be (0.1 + 0.2)', () => {
    expect(formatMoney(10 + 20, 'NZD', 'en-NZ')).toBe('$0.30');
    // 1.005 as a float is 1.00499999…, which rounds to 1.00.
    expect(formatMoney(100_5, 'NZD', 'en-NZ')).toBe('$10.05');
  });
});

describe('keying an amount', () => {
  it('enters digits from the right, till style', () => {
    let amount = 0;
    for (const d of '1234') amount = keyDigits(amount, d);
    expect(amount).toBe(1234);
    expect(keyDigits(amount, '00')).toBe(123_400);
  });

  it('ignores a key that would pass the largest amount', () => {
    expect(keyDigits(MAX_AMOUNT, '9')).toBe(MAX_AMOUNT);
    expect(keyDigits(9_999_999, '9')).toBe(MAX_AMOUNT);
    expect(keyDigits(9_999_999, '00')).toBe(9_999_999);
  });

  it('deletes the last digit', () => {
    expect(dropLastDigit(1234)).toBe(123);
    expect(dropLastDigit(5)).toBe(0);
    expect(dropLastDigit(0)).toBe(0);
  });

  it('refuses a key that is not a digit', () => {
    expect(() => keyDigits(0, 'a')).toThrow(TypeError);
  });
});

describe('parseMinorUnits', () => {
  it.each([
    ['4.50', 450],
    ['4.5', 450],
    ['4', 400],
    ['4.', 400],
    [' 0.05 ', 5],
    ['999999.99', MAX_AMOUNT],
  ])('reads %j as %i minor units', (text, minor) => {
    expect(parseMinorUnits(text, 'NZD')).toBe(minor);
  });

  it.each(['', '.50', '4.505', '-4', '+4', '4,50', '1,000', '1e3', 'four', '1000000.00'])(
    'refuses %j',
    (text) => {
      expect(parseMinorUnits(text, 'NZD')).toBeNull();
    },
  );

  it('round-trips every amount the contract allows, exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_AMOUNT }), (minor) => {
        expect(parseMinorUnits(toDecimalString(minor, 2), 'AUD')).toBe(minor);
      }),
    );
  });
});
