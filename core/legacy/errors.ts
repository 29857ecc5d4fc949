// The legacy routes answer some of the core's business errors with other status codes (and a
// few with other codes), as Centrapay's legacy reference documents them: requests.cancel says
// 400 REQUEST_EXPIRED and 404 REQUEST_PAID, transactions.refund 400 ALREADY_REFUNDED, ...
// The body keeps the API's shape: {statusCode, error, message: CODE, reason?}.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorBody, type ErrorCode } from '../errors.ts';

export class LegacyError extends Error {
  readonly statusCode: number;
  readonly reason: string | undefined;

  constructor(statusCode: number, code: string, reason?: string) {
    super(code);
    this.name = 'LegacyError';
    this.statusCode = statusCode;
    this.reason = reason;
  }
}

/** How one legacy call answers a core error: its status, and its legacy code if it differs. */
export type Translation = Partial<Record<ErrorCode, { status: number; code?: string }>>;

/** Runs a service call, answering the core errors in `translation` the legacy way. */
export async function translating<T>(translation: Translation, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) {
      const legacy = translation[error.code];
      if (legacy) throw new LegacyError(legacy.status, legacy.code ?? error.code, error.reason);
    }
    throw error;
  }
}

/** The legacy plugin's error handler: its own errors here, everything else to the app's. */
export function answerLegacyErrors(
  error: FastifyError | LegacyError,
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  if (!(error instanceof LegacyError)) throw error;
  return reply
    .status(error.statusCode)
    .send(errorBody(error.statusCode, error.message, error.reason));
}
