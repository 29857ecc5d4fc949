import { Type, type Static } from 'typebox';
import { AmountString, IdempotencyKey, Monetary, MonetaryReply, Ref, Timestamp } from './common.ts';

const Digits = Type.String({ pattern: '^[0-9]{1,9}$' });

export const LineItem = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 256 }),
  sku: Type.Optional(Type.String({ maxLength: 128 })),
  qty: Digits,
  price: Digits,
  tax: Type.Optional(Type.String({ maxLength: 16 })),
  discount: Type.Optional(Digits),
  productId: Type.Optional(Type.String({ maxLength: 128 })),
  restricted: Type.Optional(Type.Boolean()),
});
export type LineItem = Static<typeof LineItem>;

export const CreatePaymentRequestBody = Type.Object({
  configId: Type.String({ minLength: 1, maxLength: 64 }),
  value: Monetary,
  expirySeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  lineItems: Type.Optional(Type.Array(LineItem, { maxItems: 200 })),
  externalRef: Type.Optional(Ref),
  invoiceRef: Type.Optional(Ref),
  terminalId: Type.Optional(Ref),
  deviceId: Type.Optional(Ref),
  operatorId: Type.Optional(Ref),
  barcode: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 32,
      description: "A patron code scanned from the consumer's phone",
    }),
  ),
  patronNotPresent: Type.Optional(Type.Boolean()),
  preAuth: Type.Optional(Type.Boolean()),
  partialAllowed: Type.Optional(Type.Boolean()),
  basketAmount: Type.Optional(AmountString),
  idempotencyKey: Type.Optional(IdempotencyKey),
});
export type CreatePaymentRequestBody = Static<typeof CreatePaymentRequestBody>;

export const PayBody = Type.Object({
  assetType: Type.String({ minLength: 1, maxLength: 64 }),
  assetId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  authorization: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  pin: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
  amount: Type.Optional(AmountString),
  mode: Type.Optional(Type.Literal('partial-payment')),
  externalPaymentRef: Type.Optional(Ref),
  idempotencyKey: Type.Optional(IdempotencyKey),
});
export type PayBody = Static<typeof PayBody>;

export const VoidBody = Type.Object({
  idempotencyKey: Type.Optional(IdempotencyKey),
});
export type VoidBody = Static<typeof VoidBody>;

export const RefundBody = Type.Object({
  value: Monetary,
  externalRef: Ref,
  lineItems: Type.Optional(Type.Array(LineItem, { maxItems: 200 })),
});
export type RefundBody = Static<typeof RefundBody>;

export const ConfirmBody = Type.Object({
  invoiceRef: Ref,
  lineItems: Type.Array(LineItem, { minItems: 1, maxItems: 200 }),
  value: Type.Optional(Monetary),
  idempotencyKey: IdempotencyKey,
});
export type ConfirmBody = Static<typeof ConfirmBody>;

export const PaymentOption = Type.Object({ assetType: Type.String(), amount: Type.String() });

export const PaidBy = Type.Object({
  assetTotals: Type.Array(
    Type.Object({ type: Type.String(), description: Type.String(), total: MonetaryReply }),
  ),
});

export const PaymentRequest = Type.Object({
  id: Type.String(),
  shortCode: Type.String(),
  url: Type.String(),
  merchantId: Type.String(),
  merchantName: Type.String(),
  configId: Type.String(),
  value: MonetaryReply,
  paymentOptions: Type.Array(PaymentOption),
  status: Type.Union([
    Type.Literal('new'),
    Type.Literal('paid'),
    Type.Literal('cancelled'),
    Type.Literal('expired'),
  ]),
  liveness: Type.Union([Type.Literal('main'), Type.Literal('test')]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  expiresAt: Timestamp,
  expirySeconds: Type.Integer(),
  lineItems: Type.Array(LineItem),
  externalRef: Type.Optional(Type.String()),
  invoiceRef: Type.Optional(Type.String()),
  terminalId: Type.Optional(Type.String()),
  deviceId: Type.Optional(Type.String()),
  operatorId: Type.Optional(Type.String()),
  patronCodeId: Type.Optional(Type.String()),
  paidBy: Type.Optional(PaidBy),
  cancellationReason: Type.Optional(Type.String()),
  partialAllowed: Type.Boolean(),
  basketAmount: Type.Optional(Type.String()),
  remainingAmount: Type.String(),
  preAuth: Type.Boolean(),
  preAuthStatus: Type.Optional(Type.String()),
  preAuthExpiresAt: Type.Optional(Timestamp),
});
export type PaymentRequest = Static<typeof PaymentRequest>;

export const Activity = Type.Object({
  id: Type.String(),
  type: Type.String(),
  value: MonetaryReply,
  paymentRequestId: Type.String(),
  merchantId: Type.String(),
  merchantConfigId: Type.String(),
  merchantName: Type.String(),
  assetType: Type.Optional(Type.String()),
  externalRef: Type.Optional(Type.String()),
  createdAt: Timestamp,
  createdBy: Type.String(),
  activityNumber: Type.String(),
  shortCode: Type.String(),
  paidBy: Type.Optional(PaidBy),
  cancellationReason: Type.Optional(Type.String()),
});
export type Activity = Static<typeof Activity>;

export const ShortCodeParams = Type.Object({
  shortCode: Type.String({ minLength: 1, maxLength: 32 }),
});
export const ExternalRefParams = Type.Object({ externalRef: Ref });
export const PageQuery = Type.Object({
  pageKey: Type.Optional(Type.String({ maxLength: 256 })),
  paginationLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
