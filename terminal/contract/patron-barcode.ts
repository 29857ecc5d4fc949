// A patron code is exactly 16 digits ending in a Luhn check digit. Both the UI (to say at once
// that a typed code is wrong) and the terminal (before anything is sent) check it, so this file
// is plain code with no imports: the one runtime module of the contract the renderer may use.

export const PATRON_BARCODE_LENGTH = 16;

export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export type PatronBarcodeCheck = 'valid' | 'wrong-length' | 'bad-check-digit';

export function checkPatronBarcode(value: string): PatronBarcodeCheck {
  if (!/^[0-9]+$/.test(value) || value.length !== PATRON_BARCODE_LENGTH) return 'wrong-length';
  return luhnValid(value) ? 'valid' : 'bad-check-digit';
}

export function isPatronBarcode(value: string): boolean {
  return checkPatronBarcode(value) === 'valid';
}
