import { Type, type Static } from 'typebox';
import { Timestamp } from './common.ts';

export const PatronCode = Type.Object({
  id: Type.String(),
  barcode: Type.String({
    description: '16 digits: a 6-digit prefix, 9 digits, a Luhn check digit',
  }),
  accountId: Type.String(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
});
export type PatronCode = Static<typeof PatronCode>;
