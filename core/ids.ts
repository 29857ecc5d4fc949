import { randomFillSync } from 'node:crypto';

/** Creation time in ms since the epoch, big-endian: good for nearly 9000 years. */
const TIME_BYTES = 6;
/** What makes an id unguessable: 80 random bits, far beyond what anyone could try online. */
const RANDOM_BYTES = 10;
/** Ids whose random bytes are drawn in one go; one draw per id costs several times more. */
const IDS_PER_DRAW = 256;

const entropy = Buffer.alloc(IDS_PER_DRAW * RANDOM_BYTES);
let drawn = entropy.length;

/**
 * An unguessable, URL-safe id of 22 characters: the creation time in ms, then 80 random bits,
 * in base64url, with an optional prefix. Leading with the time keeps the ids written in one
 * commit next to each other in every index on them, so a commit rewrites a few index pages
 * instead of one page per row (a third of the bytes written per created payment request).
 * The time it gives away is no secret: every resource shows its createdAt.
 */
export function newId(prefix = ''): string {
  if (drawn === entropy.length) {
    randomFillSync(entropy);
    drawn = 0;
  }
  const id = Buffer.allocUnsafe(TIME_BYTES + RANDOM_BYTES);
  id.writeUIntBE(Date.now(), 0, TIME_BYTES);
  entropy.copy(id, TIME_BYTES, drawn, (drawn += RANDOM_BYTES));
  return prefix + id.toString('base64url');
}
