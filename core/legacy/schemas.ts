// The seed-era parameters and replies (Centrapay's deprecated `/payments/api/` routes).
// Parameters arrive as strings in a query string or form, or as JSON values, so every scalar
// is checked as the string it becomes (a JSON number is coerced to its digits first).
import { Type, type Static } from 'typebox';
import { CURRENCIES } from '../money.ts';
import { AmountString, Ref, Timestamp } from '../schemas/common.ts';

const Id = Type.String({ minLength: 1, maxLength: 64 });

/** 1 to 86400 seconds, as digits: the current API's expirySeconds range. */
const ExpirySeconds = Type.String({
  pattern: '^(?:[1-9][0-9]{0,3}|[1-7][0-9]{4}|8[0-5][0-9]{3}|86[0-3][0-9]{2}|86400)$',
  description: 'Seconds until the request expires, 1 to 86400 (default 120)',
});

const NotifyUrl = Type.String({
  format: 'uri',
  pattern: '^https?://',
  maxLength: 2048,
  description: 'An http(s) URL that receives the legacy webhook POSTs',
});

export const LegacyCreateParams = Type.Object({
  merchantId: Id,
  clientId: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'The merchant config id (mc_...)',
  }),
  amount: AmountString,
  asset: Type.Enum([...CURRENCIES], { description: 'The currency of the amount (NZD or AUD)' }),
  description: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  externalReference: Type.Optional(Ref),
  notifyUrl: Type.Optional(NotifyUrl),
  paymentExpirySeconds: Type.Optional(ExpirySeconds),
  terminalId: Type.Optional(Ref),
  deviceId: Type.Optional(Ref),
  patronCode: Type.Optional(
    Type.String({ minLength: 1, maxLength: 32, description: 'A scanned patron code barcode' }),
  ),
});
export type LegacyCreateParams = Static<typeof LegacyCreateParams>;

export const LegacyRequestIdParams = Type.Object({ requestId: Id });
export type LegacyRequestIdParams = Static<typeof LegacyRequestIdParams>;

export const LegacyPayParams = Type.Object({
  requestId: Id,
  ledger: Type.String({ minLength: 1, maxLength: 64, description: 'The asset type that pays' }),
  authorization: Type.String({
    minLength: 1,
    maxLength: 64,
    description:
      'The wallet asset id (centrapay.*), the code presented at the terminal (voucher, gift card as number[:pin]), or the external payment reference (external.*)',
  }),
});
export type LegacyPayParams = Static<typeof LegacyPayParams>;

export const LegacyRefundParams = Type.Object({
  transactionId: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'The payment transaction (paidBy.transactionId, or a pay receipt reference)',
  }),
  amount: AmountString,
  externalReference: Type.Optional(Ref),
});
export type LegacyRefundParams = Static<typeof LegacyRefundParams>;

const Status = Type.Union([
  Type.Literal('new'),
  Type.Literal('paid'),
  Type.Literal('cancelled'),
  Type.Literal('expired'),
]);

export const LegacyPaymentOption = Type.Object({
  ledger: Type.String(),
  amount: Type.Number(),
  account: Type.Optional(Type.String()),
  methods: Type.Array(Type.String()),
});

export const LegacyPaymentRequest = Type.Object({
  requestId: Type.String(),
  shortCode: Type.String(),
  merchantId: Type.String(),
  merchantName: Type.String(),
  clientId: Type.String(),
  denomination: Type.Object({ asset: Type.String(), amount: Type.Number() }),
  payments: Type.Array(LegacyPaymentOption),
  qrCode: Type.String(),
  requestCode: Type.String(),
  patronCode: Type.Optional(Type.String()),
  status: Status,
  cancellationReason: Type.Optional(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  liveness: Type.Union([Type.Literal('main'), Type.Literal('test')]),
  paymentExpirySeconds: Type.Integer(),
  terminalId: Type.Optional(Type.String()),
  deviceId: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  externalReference: Type.Optional(Type.String()),
  paidBy: Type.Optional(Type.Object({ transactionId: Type.String(), amount: Type.Number() })),
  notifyUrl: Type.Optional(Type.String()),
});
export type LegacyPaymentRequest = Static<typeof LegacyPaymentRequest>;

/** What requests.pay and transactions.refund answer. */
export const LegacyReceipt = Type.Object({
  createdAt: Timestamp,
  currencyExchange: Type.Optional(Type.Object({ asset: Type.String(), rate: Type.Number() })),
  merchant: Type.Object({
    id: Type.String(),
    name: Type.String(),
    location: Type.Optional(Type.String()),
    categoryCode: Type.Optional(Type.String()),
  }),
  payment: Type.Object({ amount: Type.Number(), asset: Type.String(), message: Type.String() }),
  /** The transaction id: what transactions.refund takes, for a payment. */
  reference: Type.String(),
  settlementDate: Type.String(),
  status: Type.Literal('Success'),
  type: Type.String(),
  version: Type.Integer(),
});
export type LegacyReceipt = Static<typeof LegacyReceipt>;

export const LegacyVoidReply = Type.Object({
  type: Type.String(),
  status: Type.Literal('Success'),
  message: Type.String(),
});
export type LegacyVoidReply = Static<typeof LegacyVoidReply>;
