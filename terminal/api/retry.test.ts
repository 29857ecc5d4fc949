// The retry policy on its own, with fake timers: what is retried, how long it waits, when it
// gives up. No HTTP here; faults.test.ts drives the same code over real sockets.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutcomeUnknownError, PaymentApiError } from './errors.ts';
import { AttemptError, retryAfterSeconds } from './http-call.ts';
import { silentLogger } from './logger.ts';
import { backoffDelay, sleep, withRetries, type RetryPolicy } from './retry.ts';

describe('backoffDelay', () => {
  const policy = { initialMs: 250, maxMs: 2_000 };

  it('doubles from the initial delay up to the cap', () => {
    const ceilings = [0, 1, 2, 3, 4, 10].map((retry) => backoffDelay(retry, policy, () => 1));
    expect(ceilings).toEqual([250, 500, 1_000, 2_000, 2_000, 2_000]);
  });

  it('jitters between half and all of the ceiling', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(250);
    expect(backoffDelay(1, policy, () => 0.999)).toBe(500);
  });
});

describe('retryAfterSeconds', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.UTC(2026, 10, 25, 9, 0, 0);
    expect(retryAfterSeconds('30', now)).toBe(30);
    expect(retryAfterSeconds('Wed, 25 Nov 2026 09:00:12 GMT', now)).toBe(12);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });
});

describe('withRetries', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const policy: RetryPolicy = {
    retries: 2,
    backoff: { initialMs: 100, maxMs: 1_000 },
    sleep,
    random: () => 1,
  };
  const label = { method: 'POST', path: '/api/payment-requests' };
  const unknown = () => new AttemptError('server-error', '502 server error', 502);

  it('waits the backoff before each retry, then returns the value', async () => {
    const attempt = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(unknown())
      .mockRejectedValueOnce(unknown())
      .mockResolvedValue('done');
    const result = withRetries(attempt, policy, label, silentLogger);
    await vi.advanceTimersByTimeAsync(0);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempt).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(attempt).toHaveBeenCalledTimes(3);
    await expect(result).resolves.toBe('done');
  });

  it('gives up with OutcomeUnknownError carrying the attempts and the last failure', async () => {
    const last = unknown();
    const attempt = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(unknown())
      .mockRejectedValueOnce(unknown())
      .mockRejectedValueOnce(last);
    const result = withRetries(attempt, policy, label, silentLogger);
    const settled = expect(result).rejects.toMatchObject({ attempts: 3, cause: last });
    await vi.runAllTimersAsync();
    await settled;
    await expect(result).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('passes a refusal through at once', async () => {
    const refusal = new PaymentApiError(403, 'REQUEST_PAID');
    const attempt = vi.fn<() => Promise<string>>().mockRejectedValue(refusal);
    await expect(withRetries(attempt, policy, label, silentLogger)).rejects.toBe(refusal);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('sleep', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects with the reason and clears its timer when aborted', async () => {
    const stop = new AbortController();
    const waiting = sleep(10_000, stop.signal);
    expect(vi.getTimerCount()).toBe(1);
    stop.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    expect(vi.getTimerCount()).toBe(0);
  });
});
