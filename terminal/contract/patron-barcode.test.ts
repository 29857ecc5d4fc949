// The patron code check: 16 digits whose last one is the Luhn check digit.
import { describe, expect, it } from 'vitest';
import { isPatronBarcode, luhnValid, PATRON_BARCODE_LENGTH } from './patron-barcode.ts';

/** Valid 16-digit Luhn numbers (the usual card test numbers, and two built by hand). */
const VALID = [
  '4111111111111111',
  '5500000000000004',
  '4012888888881881',
  '6011111111111117',
  '0000000000000000',
  '1234567812345670',
];

describe('luhnValid', () => {
  it('accepts numbers whose check digit fits, of any length', () => {
    for (const digits of [...VALID, '79927398713', '0', '18']) expect(luhnValid(digits)).toBe(true);
  });

  it('refuses a number whose check digit does not fit', () => {
    for (const digits of ['79927398710', '4111111111111112', '1', '19']) {
      expect(luhnValid(digits)).toBe(false);
    }
  });

  it('refuses anything that is not only ASCII digits', () => {
    for (const text of [
      '',
      ' 4111111111111111',
      '4111-1111-1111-1111',
      '４１１１',
      '٤١١١',
      '+18',
    ]) {
      expect(luhnValid(text)).toBe(false);
    }
  });
});

describe('isPatronBarcode', () => {
  it('is 16 digits long', () => {
    expect(PATRON_BARCODE_LENGTH).toBe(16);
  });

  it.each(VALID)('accepts %s', (code) => {
    expect(isPatronBarcode(code)).toBe(true);
  });

  it('refuses every single wrong digit of a valid code', () => {
    const code = '4111111111111111';
    for (let position = 0; position < code.length; position += 1) {
      for (let digit = 0; digit <= 9; digit += 1) {
        if (String(digit) === code[position]) continue;
        const typo = `${code.slice(0, position)}${digit}${code.slice(position + 1)}`;
        expect(isPatronBarcode(typo), typo).toBe(false);
      }
    }
  });

  it('refuses a valid Luhn number of the wrong length', () => {
    // 11, 15 and 17 digits (the last is a valid 16-digit code behind a leading zero).
    for (const code of ['79927398713', '378282246310005', '04111111111111111']) {
      expect(luhnValid(code)).toBe(true);
      expect(isPatronBarcode(code)).toBe(false);
    }
    expect(isPatronBarcode('')).toBe(false);
  });

  it('refuses 16 characters that are not all digits', () => {
    for (const code of [
      '411111111111111a',
      '4111 11111111111',
      '411111111111111-',
      'abcdefghijklmnop',
    ]) {
      expect(code).toHaveLength(16);
      expect(isPatronBarcode(code)).toBe(false);
    }
  });
});
