import { randomBytes } from 'node:crypto';

/** An unguessable, URL-safe id: 128 random bits, base64url, with an optional prefix. */
export function newId(prefix = ''): string {
  return prefix + randomBytes(16).toString('base64url');
}
