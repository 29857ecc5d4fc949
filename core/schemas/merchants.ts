import { Type, type Static } from 'typebox';
import { Timestamp } from './common.ts';

const Country = Type.Union([Type.Literal('NZ'), Type.Literal('AU')]);

export const CreateMerchantBody = Type.Object({
  accountId: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 128 }),
  country: Country,
  test: Type.Boolean(),
});
export type CreateMerchantBody = Static<typeof CreateMerchantBody>;

export const UpdateMerchantBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
});
export type UpdateMerchantBody = Static<typeof UpdateMerchantBody>;

export const Merchant = Type.Object({
  id: Type.String(),
  accountId: Type.String(),
  name: Type.String(),
  country: Type.String(),
  test: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Merchant = Static<typeof Merchant>;

export const PaymentOptionConfig = Type.Object({
  type: Type.String({
    pattern: '^[a-z0-9.-]+\\.(main|test)$',
    description: 'An asset type, e.g. centrapay.nzd.test',
  }),
});

const WebhookUrl = Type.String({
  pattern: '^https?://',
  maxLength: 2048,
  description: 'An http(s) endpoint',
});

export const MerchantConfigBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  paymentOptions: Type.Array(PaymentOptionConfig, { minItems: 1, maxItems: 20 }),
  webhookUrls: Type.Optional(
    Type.Array(WebhookUrl, {
      maxItems: 10,
      description: 'Endpoints for payment events (extension)',
    }),
  ),
});
export type MerchantConfigBody = Static<typeof MerchantConfigBody>;

export const MerchantConfig = Type.Object({
  id: Type.String(),
  merchantId: Type.String(),
  name: Type.Optional(Type.String()),
  paymentOptions: Type.Array(PaymentOptionConfig),
  webhookUrls: Type.Array(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type MerchantConfig = Static<typeof MerchantConfig>;

export const MerchantParams = Type.Object({
  merchantId: Type.String({ minLength: 1, maxLength: 64 }),
});
export const MerchantConfigParams = Type.Object({
  merchantId: Type.String({ minLength: 1, maxLength: 64 }),
  configId: Type.String({ minLength: 1, maxLength: 64 }),
});
