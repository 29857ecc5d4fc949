import { jwtVerify, SignJWT } from 'jose';
import { SIGNING_ALGORITHM, type SigningKey } from './signing-keys.ts';

const ISSUER = 'kiosk-core';
const TOKEN_LIFETIME_SECONDS = 3600;

export interface UserTokenClaims {
  userId: string;
  accountId: string;
}

export async function mintUserToken(
  key: SigningKey,
  claims: UserTokenClaims,
  now: number,
): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ account: claims.accountId })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TOKEN_LIFETIME_SECONDS)
    .sign(key.privateKey);
}

export async function mintAnonConsumerToken(
  key: SigningKey,
  subject: string,
  now: number,
): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ anon: true })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid })
    .setSubject(subject)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TOKEN_LIFETIME_SECONDS)
    .sign(key.privateKey);
}

export type TokenSubject =
  { kind: 'user'; userId: string; accountId: string } | { kind: 'anon-consumer'; subject: string };

/** Returns who a token names, or undefined when it is not a valid, current token. */
export async function verifyUserToken(
  key: SigningKey,
  token: string,
  now: number,
): Promise<TokenSubject | undefined> {
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      issuer: ISSUER,
      algorithms: [SIGNING_ALGORITHM],
      currentDate: new Date(now),
    });
    if (typeof payload.sub !== 'string') return undefined;
    if (payload['anon'] === true) return { kind: 'anon-consumer', subject: payload.sub };
    const account = payload['account'];
    if (typeof account !== 'string') return undefined;
    return { kind: 'user', userId: payload.sub, accountId: account };
  } catch {
    return undefined;
  }
}
