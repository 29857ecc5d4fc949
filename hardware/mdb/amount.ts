// Amounts on the Qibixx link are decimals (`1.00`, `0.5`, `12`); inside the kiosk they are integer
// minor units. Both directions use string and integer arithmetic only: `Number('1.10') * 100` is
// 110.00000000000001, and a vend approved for one cent too much or too little is a real defect.

/** Digits after the decimal point of the currency's minor unit; 2 unless configured otherwise. */
export const DEFAULT_DECIMALS = 2;

/** The largest integer part accepted (nine digits), so minor units stay exact at any scale. */
const MAX_INTEGER_DIGITS = 9;

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 4) {
    throw new TypeError(`decimals must be an integer from 0 to 4, got ${decimals}`);
  }
}

/**
 * Parses a non-negative decimal (`1.50`, `1.5`, `2`, `0.05`) into minor units, or returns
 * undefined when the text is not one. More fraction digits than `decimals` are accepted only when
 * the extra ones are zeros (`1.500` is 150): a sub-cent amount cannot be charged.
 */
export function parseAmount(text: string, decimals: number = DEFAULT_DECIMALS): number | undefined {
  checkDecimals(decimals);
  const match = /^(\d{1,9})(?:\.(\d{1,9}))?$/.exec(text);
  if (!match) return undefined;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (whole.length > MAX_INTEGER_DIGITS) return undefined;
  if (/[^0]/.test(fraction.slice(decimals))) return undefined;
  const minorDigits = fraction.slice(0, decimals).padEnd(decimals, '0');
  return Number.parseInt(whole + minorDigits, 10);
}

/** Formats minor units as the adapter's decimal (`150` → `1.50`; with 0 decimals, `150`). */
export function formatAmount(minor: number, decimals: number = DEFAULT_DECIMALS): string {
  checkDecimals(decimals);
  if (!Number.isSafeInteger(minor) || minor < 0) {
    throw new RangeError(`an amount must be a non-negative integer of minor units, got ${minor}`);
  }
  if (decimals === 0) return String(minor);
  const digits = String(minor).padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
