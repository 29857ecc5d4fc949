// Legacy parameters come in the query string (as Centrapay documents them), a form body or a
// JSON body. They are merged into one object before validation, and the route's querystring
// schema checks that object, so one schema (and one OpenAPI description) covers all three.
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { BadRequestError } from '../errors.ts';

/**
 * Lets the legacy routes (and only them: call it inside their plugin) read form bodies, and
 * treat an empty JSON body as no parameters, as a bare `POST ...?requestId=` sends.
 */
export async function acceptLegacyBodies(app: FastifyInstance): Promise<void> {
  await app.register(formbody);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, body as string, done);
  });
}

const sameValue = (a: unknown, b: unknown) =>
  String(a) === String(b) || JSON.stringify(a) === JSON.stringify(b);

/**
 * preValidation: merges the body's parameters into the query string's. A parameter given in
 * both with different values is refused rather than one silently winning; an empty value is no
 * value (form posts send every field, filled or not).
 */
export async function mergeLegacyParameters(request: FastifyRequest): Promise<void> {
  const body: unknown = request.body;
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw new BadRequestError('body must be an object of parameters');
  }
  // No prototype: a parameter named __proto__ stays a parameter.
  const merged: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const sources = [request.query, body] as (Record<string, unknown> | null | undefined)[];
  for (const source of sources) {
    for (const [name, value] of Object.entries(source ?? {})) {
      if (value === '' || value === undefined || value === null) continue;
      if (Object.hasOwn(merged, name) && !sameValue(merged[name], value)) {
        throw new BadRequestError(`${name} is given twice with different values`);
      }
      merged[name] = value;
    }
  }
  request.query = merged;
}

/** Names the parameter, wherever it came from: "amount must match pattern ...". */
export function legacySchemaErrorFormatter(errors: FastifySchemaValidationError[]): Error {
  const [error] = errors;
  if (!error) return new BadRequestError('parameters are invalid');
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (error.keyword === 'required' && typeof missing === 'string') {
    return new BadRequestError(`${missing} is required`);
  }
  const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'parameters';
  return new BadRequestError(`${field} ${error.message ?? 'is invalid'}`);
}
