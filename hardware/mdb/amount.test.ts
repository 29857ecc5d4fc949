import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from './amount.ts';

describe('parseAmount', () => {
  it.each([
    ['1.00', 100],
    ['1.10', 110],
    ['1.1', 110],
    ['2', 200],
    ['0.05', 5],
    ['0', 0],
    ['1.500', 150],
    ['999999999.99', 99_999_999_999],
  ])('%s is %i minor units', (text, minor) => {
    expect(parseAmount(text)).toBe(minor);
  });

  it.each([
    '',
    '-1',
    '-1.00',
    '1.',
    '.5',
    '1.005',
    '1,00',
    ' 1.00',
    '1e2',
    '0x10',
    'NaN',
    '1234567890',
  ])('rejects %j', (text) => {
    expect(parseAmount(text)).toBeUndefined();
  });

  it('honours other minor-unit scales', () => {
    expect(parseAmount('150', 0)).toBe(150);
    expect(parseAmount('1.5', 0)).toBeUndefined();
    expect(parseAmount('1.234', 3)).toBe(1234);
  });
});

describe('formatAmount', () => {
  it.each([
    [100, '1.00'],
    [5, '0.05'],
    [0, '0.00'],
    [12345, '123.45'],
  ])('%i is %s', (minor, text) => {
    expect(formatAmount(minor)).toBe(text);
  });

  it('formats with 0 and 3 decimals', () => {
    expect(formatAmount(150, 0)).toBe('150');
    expect(formatAmount(7, 3)).toBe('0.007');
  });

  it('refuses fractions, negatives and a bad scale', () => {
    expect(() => formatAmount(1.5)).toThrow(RangeError);
    expect(() => formatAmount(-1)).toThrow(RangeError);
    expect(() => formatAmount(1, 7)).toThrow(/decimals/);
  });

  it('round-trips every amount exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.integer({ min: 0, max: 4 }),
        (minor, decimals) => {
          expect(parseAmount(formatAmount(minor, decimals), decimals)).toBe(minor);
        },
      ),
    );
  });
});
