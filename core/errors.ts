import { STATUS_CODES } from 'node:http';

/**
 * Every business error the API answers with, keyed by the CODE that goes in `message`.
 * The wire shape is Centrapay's: {statusCode, error, message, reason?}.
 */
export const ERROR_STATUS = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  LINE_ITEMS_SUM_CHECK_FAILED: 400,
  CHECKSUM_FAILED: 400,
  INVALID_CURRENCY: 400,
  IDEMPOTENT_OPERATION_FAILED: 403,
  REQUEST_EXPIRED: 403,
  REQUEST_PAID: 403,
  REQUEST_CANCELLED: 403,
  INVALID_ASSET_TYPE: 403,
  INSUFFICIENT_ASSET_VALUE: 403,
  INACTIVE_ASSET: 403,
  ASSET_REDEMPTION_DENIED: 403,
  PAYMENT_DECLINED: 403,
  QUOTA_EXCEEDED: 403,
  VOID_WINDOW_EXCEEDED: 403,
  INVALID_AMOUNT: 403,
  REPEAT_REFERENCE: 403,
  NOT_PAID: 403,
  ALREADY_REFUNDED: 403,
  REFUND_WINDOW_EXCEEDED: 403,
  PARTIAL_REFUNDS_NOT_ALLOWED: 403,
  REFUND_NOT_SUPPORTED: 403,
  PRE_AUTH_PENDING: 403,
  LIVENESS_MISMATCH: 403,
  INVALID_PAYMENT_REQUEST_TYPE: 403,
  PRE_AUTH_RELEASED: 403,
  PRE_AUTH_ALREADY_CONFIRMED: 403,
  NO_AVAILABLE_PAYMENT_OPTIONS: 403,
  PATRON_CODE_INVALID: 403,
  PATRON_CODE_EXPIRED: 403,
  RATE_LIMIT_EXCEEDED: 429,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Generic refusals carry a fixed human message rather than their code. A resource that does
 * not exist and one the caller may not see are both 403 Forbidden, so existence never leaks.
 */
const GENERIC_MESSAGES: Partial<Record<ErrorCode, string>> = {
  UNAUTHORIZED: 'Missing authentication',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not Found',
};

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly reason: string | undefined;
  /** Seconds a client should wait, for 429s. */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, options: { reason?: string; retryAfter?: number } = {}) {
    super(GENERIC_MESSAGES[code] ?? code);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = ERROR_STATUS[code];
    this.reason = options.reason;
    this.retryAfter = options.retryAfter;
  }
}

/** Malformed input that a schema cannot express; the message names the field. */
export class BadRequestError extends Error {
  readonly statusCode = 400;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  reason?: string;
}

export function errorBody(statusCode: number, message: string, reason?: string): ErrorBody {
  const body: ErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (reason !== undefined) body.reason = reason;
  return body;
}
