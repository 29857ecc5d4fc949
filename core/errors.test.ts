import { describe, expect, it } from 'vitest';
import { ApiError, ERROR_STATUS, errorBody, type ErrorCode } from './errors.ts';

describe('the error catalogue', () => {
  it('pins each code to its status and wire message', () => {
    const wire = Object.fromEntries(
      (Object.keys(ERROR_STATUS) as ErrorCode[]).map((code) => {
        const error = new ApiError(code);
        return [code, `${error.statusCode} ${error.message}`];
      }),
    );
    expect(wire).toMatchObject({
      UNAUTHORIZED: '401 Missing authentication',
      FORBIDDEN: '403 Forbidden',
      NOT_FOUND: '404 Not Found',
      LINE_ITEMS_SUM_CHECK_FAILED: '400 LINE_ITEMS_SUM_CHECK_FAILED',
      CHECKSUM_FAILED: '400 CHECKSUM_FAILED',
      REQUEST_PAID: '403 REQUEST_PAID',
      INSUFFICIENT_ASSET_VALUE: '403 INSUFFICIENT_ASSET_VALUE',
      RATE_LIMIT_EXCEEDED: '429 RATE_LIMIT_EXCEEDED',
    });
    // Business rules refused with 403 carry their code as the message; only 400s and 429 differ.
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      if (!['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'].includes(code))
        expect(wire[code]).toBe(`${status} ${code}`);
    }
  });

  it('shapes bodies as Centrapay does, with the HTTP reason and an optional reason', () => {
    expect(errorBody(403, 'ASSET_REDEMPTION_DENIED', 'UNKNOWN_CODE')).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'ASSET_REDEMPTION_DENIED',
      reason: 'UNKNOWN_CODE',
    });
    expect(errorBody(413, 'Request body is too large')).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is too large',
    });
  });
});
