import { Type, type Static } from 'typebox';
import { Timestamp } from './common.ts';

export const Asset = Type.Object({
  id: Type.String(),
  accountId: Type.String(),
  type: Type.String({ description: 'The asset type, e.g. centrapay.nzd.test' }),
  category: Type.Union([Type.Literal('money'), Type.Literal('token'), Type.Literal('giftcard')]),
  liveness: Type.Union([Type.Literal('main'), Type.Literal('test')]),
  description: Type.String(),
  status: Type.String(),
  currency: Type.String(),
  balance: Type.String({ description: 'Minor units' }),
  availableBalance: Type.String({ description: 'Minor units: the balance less pre-auth holds' }),
  createdAt: Timestamp,
  expiresAt: Type.Optional(Timestamp),
});
export type Asset = Static<typeof Asset>;

export const AssetParams = Type.Object({ assetId: Type.String({ minLength: 1, maxLength: 64 }) });
