import { describe, expect, it } from 'vitest';
import {
  checkPatronBarcode,
  luhnCheckDigit,
  newPatronBarcode,
  PATRON_CODE_PREFIX,
} from './barcode.ts';

describe('patron barcodes', () => {
  it('match the Luhn digit of a known card number', () => {
    // 79927398713 is the textbook Luhn example.
    expect(luhnCheckDigit('7992739871')).toBe('3');
    // 4111 1111 1111 1111 is the well-known Luhn-valid test card number.
    expect(luhnCheckDigit('411111111111111')).toBe('1');
  });

  it('are 16 digits with the prefix and pass their own check', () => {
    for (let i = 0; i < 100; i++) {
      const barcode = newPatronBarcode();
      expect(barcode).toMatch(/^[0-9]{16}$/);
      expect(barcode.startsWith(PATRON_CODE_PREFIX)).toBe(true);
      expect(checkPatronBarcode(barcode)).toBe('valid');
    }
  });

  it('catch any single mistyped digit', () => {
    const barcode = newPatronBarcode();
    for (let position = 0; position < 16; position++) {
      const digit = Number(barcode[position]);
      const typo =
        barcode.slice(0, position) + String((digit + 1) % 10) + barcode.slice(position + 1);
      expect(checkPatronBarcode(typo)).toBe('bad-check-digit');
    }
    expect(checkPatronBarcode('12345')).toBe('not-a-patron-code');
  });
});
