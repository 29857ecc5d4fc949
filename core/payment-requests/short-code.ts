import { randomInt } from 'node:crypto';

// Short codes look like CP-C7F-ZS5: five random characters and a Luhn mod 32 check
// character, from an alphabet without the look-alikes I, L, O and U, so a code read aloud
// or typed from a receipt is caught when one character is wrong or two are swapped.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATA_LENGTH = 5;
const SHAPE = /^CP-([0-9A-Z]{3})-([0-9A-Z]{3})$/;

function checkCharacter(data: string): string {
  const n = ALPHABET.length;
  let sum = 0;
  let factor = 2;
  for (let i = data.length - 1; i >= 0; i--) {
    let addend = factor * ALPHABET.indexOf(data[i]!);
    addend = Math.floor(addend / n) + (addend % n);
    sum += addend;
    factor = factor === 2 ? 1 : 2;
  }
  return ALPHABET[(n - (sum % n)) % n]!;
}

export function newShortCode(): string {
  let data = '';
  for (let i = 0; i < DATA_LENGTH; i++) data += ALPHABET[randomInt(ALPHABET.length)];
  const code = data + checkCharacter(data);
  return `CP-${code.slice(0, 3)}-${code.slice(3)}`;
}

export type ShortCodeCheck = 'valid' | 'malformed' | 'bad-check-character';

/** Accepts lower case and missing dashes as typed on a keypad; returns the canonical form. */
export function normaliseShortCode(input: string): string {
  const compact = input.toUpperCase().replace(/[^0-9A-Z]/g, '');
  const body = compact.startsWith('CP') ? compact.slice(2) : compact;
  return `CP-${body.slice(0, 3)}-${body.slice(3)}`;
}

export function checkShortCode(code: string): ShortCodeCheck {
  const match = SHAPE.exec(code);
  if (!match) return 'malformed';
  const chars = match[1]! + match[2]!;
  if ([...chars].some((c) => !ALPHABET.includes(c))) return 'malformed';
  return checkCharacter(chars.slice(0, DATA_LENGTH)) === chars[DATA_LENGTH]
    ? 'valid'
    : 'bad-check-character';
}
