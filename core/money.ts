import { ApiError } from './errors.ts';

export const CURRENCIES = ['NZD', 'AUD'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** The wire form: a string of integer minor units. */
export interface Monetary {
  amount: string;
  currency: string;
}

export function monetary(amount: number, currency: string): Monetary {
  return { amount: String(amount), currency };
}

export function requireCurrency(currency: string): Currency {
  if (!(CURRENCIES as readonly string[]).includes(currency)) throw new ApiError('INVALID_CURRENCY');
  return currency as Currency;
}
