import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.ts';

/** No field of this API nests deeper; anything deeper is junk, and refused before it costs more. */
export const MAX_NESTING = 16;

/**
 * Why an input value is refused, naming the field: a NUL character (PostgreSQL cannot store
 * it, so both engines refuse it alike) or nesting beyond MAX_NESTING. Walks without recursion
 * so no input can exhaust the stack.
 */
export function findRefusedField(value: unknown, root: string): string | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value, path: root, depth: 0 },
  ];
  while (pending.length > 0) {
    const { value: item, path, depth } = pending.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return `${path} must not contain a NUL character`;
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth >= MAX_NESTING) return `${path} is nested too deeply`;
    for (const [key, child] of Object.entries(item)) {
      if (key.includes('\u0000')) return `${path} must not contain a NUL character in a key`;
      pending.push({ value: child, path: `${path}/${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}

export async function guardInput(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const refusal =
    findRefusedField(request.params, 'params') ??
    findRefusedField(request.query, 'querystring') ??
    findRefusedField(request.body, 'body');
  if (refusal) await reply.status(400).send(errorBody(400, refusal));
}
