import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { SIGNING_ALGORITHM, type SigningKey } from '../auth/signing-keys.ts';

/** A signature is good for five minutes after it is made, as Centrapay's are. */
export const SIGNATURE_LIFETIME_SECONDS = 300;

/**
 * Centrapay's webhook signature: an ES256 JWT with `iat`, `exp`, `aud` (the receiver's origin)
 * and `request_body_sha256` (hex digest of the exact body bytes), verified with the JWKS.
 */
export function signWebhook(
  key: SigningKey,
  url: string,
  body: string,
  now: number,
): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ request_body_sha256: createHash('sha256').update(body).digest('hex') })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + SIGNATURE_LIFETIME_SECONDS)
    .setAudience(new URL(url).origin)
    .sign(key.privateKey);
}
