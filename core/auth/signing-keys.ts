import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { newId } from '../ids.ts';
import type { Storage } from '../db/storage.ts';

export const SIGNING_ALGORITHM = 'ES256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * The core's ES256 key, used for user access tokens and webhook signatures. Made once per
 * database, so every core sharing a PostgreSQL database signs with the same key.
 */
export async function loadSigningKey(storage: Storage, now: number): Promise<SigningKey> {
  let row = await storage.read
    .selectFrom('signing_keys')
    .selectAll()
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!row) {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, {
      extractable: true,
    });
    const kid = newId();
    const candidate = {
      kid,
      private_jwk: JSON.stringify(await exportJWK(privateKey)),
      public_jwk: JSON.stringify({
        ...(await exportJWK(publicKey)),
        kid,
        alg: SIGNING_ALGORITHM,
        use: 'sig',
      }),
      created_at: now,
    };
    row = await storage.write(async (trx) => {
      // Two cores starting together on one database: the first key written wins.
      const existing = await trx.selectFrom('signing_keys').selectAll().executeTakeFirst();
      if (existing) return existing;
      await trx.insertInto('signing_keys').values(candidate).execute();
      return candidate;
    });
  }
  const publicJwk = JSON.parse(row.public_jwk) as JWK;
  return {
    kid: row.kid,
    privateKey: (await importJWK(
      JSON.parse(row.private_jwk) as JWK,
      SIGNING_ALGORITHM,
    )) as CryptoKey,
    publicKey: (await importJWK(publicJwk, SIGNING_ALGORITHM)) as CryptoKey,
    publicJwk,
  };
}
