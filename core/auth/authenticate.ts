import type { FastifyRequest } from 'fastify';
import { precompile, type Param } from '../db/precompiled.ts';
import type { Storage } from '../db/storage.ts';
import { ApiError } from '../errors.ts';
import type { Clock } from '../clock.ts';
import type { Principal } from './principal.ts';
import { digest } from './secrets.ts';
import type { SigningKey } from './signing-keys.ts';
import { verifyUserToken } from './user-tokens.ts';

const findApiKey = precompile((db, param: Param<{ secretHash: string }>) =>
  db
    .selectFrom('api_keys')
    .select(['account_id', 'name', 'role', 'enabled'])
    .where('secret_hash', '=', param('secretHash')),
);

/** Establishes the caller from `X-Api-Key` or `Authorization: [Bearer ]<jwt>`; 401 when neither is valid. */
export function createAuthenticator(storage: Storage, signingKey: SigningKey, clock: Clock) {
  return async function authenticate(request: FastifyRequest): Promise<Principal> {
    const apiKey = request.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey.length > 0) {
      // Read on every request, never cached: a key disabled a moment ago stops working now.
      const key = await findApiKey.executeTakeFirst(storage.read, { secretHash: digest(apiKey) });
      if (!key || key.enabled !== 1) throw new ApiError('UNAUTHORIZED');
      return { kind: 'api-key', accountId: key.account_id, role: key.role, keyName: key.name };
    }
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string') {
      const token = authorization.replace(/^Bearer\s+/i, '');
      const subject = await verifyUserToken(signingKey, token, clock.now());
      if (subject?.kind === 'anon-consumer') return subject;
      if (subject) {
        const memberships = await storage.read
          .selectFrom('account_members')
          .select('account_id')
          .where('user_id', '=', subject.userId)
          .execute();
        return { ...subject, memberOf: memberships.map((m) => m.account_id) };
      }
    }
    throw new ApiError('UNAUTHORIZED');
  };
}
