import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.ts';

/** The path (`body/lineItems/0/name`) of the first string holding a NUL character, if any. */
export function findNulString(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return `${path}/${JSON.stringify(key)}`;
    const found = findNulString(item, `${path}/${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * PostgreSQL cannot store NUL in text, and no field of this API has a use for it, so it is a
 * 400 naming the field on both engines rather than a database error on one.
 */
export async function rejectNulCharacters(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const field =
    findNulString(request.params, 'params') ??
    findNulString(request.query, 'querystring') ??
    findNulString(request.body, 'body');
  if (field)
    await reply.status(400).send(errorBody(400, `${field} must not contain a NUL character`));
}
