import { Type, type Static, type TSchema } from 'typebox';
import { CURRENCIES } from '../money.ts';

/** A string of integer minor units, 0 < amount < 100000000. */
export const AmountString = Type.String({
  pattern: '^[1-9][0-9]{0,7}$',
  description: 'Integer minor units, 0 < amount < 100000000',
});

export const Currency = Type.Enum([...CURRENCIES]);

export const Monetary = Type.Object({ amount: AmountString, currency: Currency });
export type Monetary = Static<typeof Monetary>;

/** Monetary as the API answers it, where zero is possible (e.g. a remaining amount). */
export const MonetaryReply = Type.Object({ amount: Type.String(), currency: Type.String() });

export const Timestamp = Type.String({ format: 'date-time' });

/** Short free-text references (externalRef, terminalId, ...). */
export const Ref = Type.String({ minLength: 1, maxLength: 128 });

export const IdempotencyKey = Type.String({ minLength: 1, maxLength: 255 });

export const ErrorReply = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  reason: Type.Optional(Type.String()),
});

/** The error replies every authenticated route can give. */
export const errorReplies = {
  400: ErrorReply,
  401: ErrorReply,
  403: ErrorReply,
  404: ErrorReply,
  429: ErrorReply,
} as const;

export function listOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextPageKey: Type.Optional(Type.String()) });
}

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
