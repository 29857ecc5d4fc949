import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys and presented codes are stored only as this digest. API key secrets carry 256
 * random bits, so a fast hash is enough; short codes (vouchers) are also rate-limited.
 */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newApiKeySecret(): string {
  return randomBytes(32).toString('base64url');
}
