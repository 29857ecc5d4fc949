// Money in the UI: integer minor units throughout, formatted without ever becoming a float.
import type { Currency } from './contract.ts';

/** The contract's largest amount (commands.ts `MinorUnits`). */
export const MAX_AMOUNT = 99_999_999;

/** Digits after the decimal point, per currency the contract allows. */
const MINOR_DIGITS: Record<Currency, number> = { NZD: 2, AUD: 2 };

/**
 * The exact decimal string of `minor` minor units, built from integer division and modulo
 * (`1234` with 2 digits → `"12.34"`), so Intl.NumberFormat never sees a binary fraction.
 */
export function toDecimalString(minor: number, digits: number): `${number}` {
  if (!Number.isSafeInteger(minor)) {
    throw new TypeError(`amount must be an integer of minor units, got ${minor}`);
  }
  if (!Number.isInteger(digits) || digits < 0 || digits > 6) {
    throw new TypeError(`digits must be an integer from 0 to 6, got ${digits}`);
  }
  if (digits === 0) return `${minor}`;
  const sign = minor < 0 ? '-' : '';
  const magnitude = Math.abs(minor);
  const scale = 10 ** digits;
  const fraction = magnitude % scale;
  const whole = (magnitude - fraction) / scale;
  return `${sign}${whole}.${String(fraction).padStart(digits, '0')}` as `${number}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: Currency): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let found = formatters.get(key);
  if (!found) {
    const digits = MINOR_DIGITS[currency];
    found = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, found);
  }
  return found;
}

/** `1234, 'NZD', 'en-NZ'` → `"$12.34"`. */
export function formatMoney(minor: number, currency: Currency, locale: string): string {
  return formatter(locale, currency).format(toDecimalString(minor, MINOR_DIGITS[currency]));
}

/**
 * A typed amount as minor units, read digit by digit so it never becomes a float: `"4.5"` → 450,
 * `"12"` → 1200. Null for anything else: a sign, a group separator, more decimals than the
 * currency has, nothing, or more than `max`.
 */
export function parseMinorUnits(text: string, currency: Currency, max = MAX_AMOUNT): number | null {
  const digits = MINOR_DIGITS[currency];
  const found = new RegExp(`^([0-9]{1,12})(?:\\.([0-9]{0,${digits}}))?$`).exec(text.trim());
  if (!found) return null;
  const [, whole = '', fraction = ''] = found;
  const minor = keyDigits(0, whole + fraction.padEnd(digits, '0'), Number.MAX_SAFE_INTEGER);
  return minor <= max ? minor : null;
}

/**
 * Keys digits into an amount the way a till does, from the right: 0 → "1" → 1 → "2" → 12
 * (NZ$0.12). A key that would pass `max` is ignored, so the amount on screen never jumps.
 */
export function keyDigits(amount: number, digits: string, max = MAX_AMOUNT): number {
  let next = amount;
  for (const digit of digits) {
    const value = digit.charCodeAt(0) - 48;
    if (value < 0 || value > 9) throw new TypeError(`not a digit: ${JSON.stringify(digit)}`);
    next = next * 10 + value;
  }
  return next > max ? amount : next;
}

/** Removes the last keyed digit: 1234 → 123. */
export function dropLastDigit(amount: number): number {
  return (amount - (amount % 10)) / 10;
}
