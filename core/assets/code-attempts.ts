// Codes typed at a terminal can be guessed, so failed attempts are limited per terminal and
// per code, and every attempt is kept.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { newId } from '../ids.ts';

export const CODE_ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
/** Failures one code may see in the window before it is locked. */
export const MAX_FAILURES_PER_CODE = 5;
/** Failures one terminal may make in the window before it must wait. */
export const MAX_FAILURES_PER_TERMINAL = 10;

/** Throws 429 RATE_LIMIT_EXCEEDED, with the seconds to wait, when either limit is reached. */
export async function assertCodeAttemptAllowed(
  db: Kysely<Database>,
  terminal: string,
  codeHash: string,
  now: number,
): Promise<void> {
  const since = now - CODE_ATTEMPT_WINDOW_MS;
  const failures = (column: 'terminal' | 'code_hash', value: string) =>
    db
      .selectFrom('code_attempts')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('created_at').as('oldest')])
      .where(column, '=', value)
      .where('succeeded', '=', 0)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
  for (const [window, limit] of [
    [await failures('code_hash', codeHash), MAX_FAILURES_PER_CODE],
    [await failures('terminal', terminal), MAX_FAILURES_PER_TERMINAL],
  ] as const) {
    if (Number(window.count) >= limit) {
      const retryAfterMs = Number(window.oldest) + CODE_ATTEMPT_WINDOW_MS - now;
      throw new ApiError('RATE_LIMIT_EXCEEDED', {
        retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)),
      });
    }
  }
}

export async function recordCodeAttempt(
  db: Kysely<Database>,
  attempt: { terminal: string; codeHash: string; succeeded: boolean },
  now: number,
): Promise<void> {
  await db
    .insertInto('code_attempts')
    .values({
      id: newId(),
      terminal: attempt.terminal,
      code_hash: attempt.codeHash,
      succeeded: attempt.succeeded ? 1 : 0,
      created_at: now,
    })
    .execute();
}
