import { randomInt } from 'node:crypto';

/** The issuer prefix of this core's patron codes (one of Centrapay's documented prefixes). */
export const PATRON_CODE_PREFIX = '987600';
const BARCODE = /^[0-9]{16}$/;

/** The Luhn check digit for a string of digits. */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A one-time 16-digit barcode: the prefix, 9 random digits and a Luhn check digit. */
export function newPatronBarcode(): string {
  let body = PATRON_CODE_PREFIX;
  for (let i = 0; i < 9; i++) body += String(randomInt(10));
  return body + luhnCheckDigit(body);
}

export type BarcodeCheck = 'valid' | 'not-a-patron-code' | 'bad-check-digit';

export function checkPatronBarcode(barcode: string): BarcodeCheck {
  if (!BARCODE.test(barcode)) return 'not-a-patron-code';
  return luhnCheckDigit(barcode.slice(0, 15)) === barcode[15] ? 'valid' : 'bad-check-digit';
}
