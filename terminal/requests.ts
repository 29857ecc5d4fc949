// Translations from the payment API's wire model to what the kiosk's flows and screens use.
import type { Currency, PaidByLine, RequestSummary } from './contract/state.ts';
import type { PaymentRequest, WireMoney } from './api/wire.ts';

/** Wire amounts are strings of integer minor units; anything else is a broken reply. */
export function minorUnits(money: WireMoney): number {
  if (!/^[0-9]{1,9}$/.test(money.amount)) throw new TypeError(`not an amount: ${money.amount}`);
  return Number(money.amount);
}

export function toWireMoney(amount: number, currency: Currency): WireMoney {
  return { amount: String(amount), currency };
}

export function summarise(request: PaymentRequest): RequestSummary {
  return {
    id: request.id,
    shortCode: request.shortCode,
    url: request.url,
    expiresAt: request.expiresAt,
  };
}

export function paidByLines(request: PaymentRequest): PaidByLine[] {
  return (request.paidBy?.assetTotals ?? []).map((total) => ({
    description: total.description,
    amount: minorUnits(total.total),
    currency: total.total.currency as Currency,
  }));
}
