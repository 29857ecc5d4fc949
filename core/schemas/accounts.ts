import { Type, type Static } from 'typebox';
import { Timestamp } from './common.ts';

const Name = Type.String({ minLength: 1, maxLength: 128 });

export const CreateAccountBody = Type.Object({
  name: Name,
  type: Type.Literal('org', { description: 'Individual accounts come with their users' }),
  test: Type.Optional(Type.Boolean()),
});
export type CreateAccountBody = Static<typeof CreateAccountBody>;

export const Account = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  test: Type.Boolean(),
  createdAt: Timestamp,
});
export type Account = Static<typeof Account>;

export const ApiKeyRole = Type.Union([
  Type.Literal('account-owner'),
  Type.Literal('merchant-terminal'),
]);

export const CreateApiKeyBody = Type.Object({
  name: Type.String({
    pattern: '^[A-Za-z0-9_-]{1,64}$',
    description: 'Letters, digits, - and _; unique in the account',
  }),
  role: ApiKeyRole,
});
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;

export const UpdateApiKeyBody = Type.Object({ enabled: Type.Boolean() });

export const ApiKey = Type.Object({
  accountId: Type.String(),
  name: Type.String(),
  role: ApiKeyRole,
  enabled: Type.Boolean(),
  createdAt: Timestamp,
});
export type ApiKey = Static<typeof ApiKey>;

/** The one reply that carries the secret: it is shown once and stored only as a digest. */
export const CreatedApiKey = Type.Intersect([ApiKey, Type.Object({ secret: Type.String() })]);

export const AccountParams = Type.Object({
  accountId: Type.String({ minLength: 1, maxLength: 64 }),
});
export const ApiKeyParams = Type.Object({
  accountId: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 64 }),
});
