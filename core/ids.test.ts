import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from './ids.ts';

describe('ids', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('are URL-safe, carry their prefix, and do not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('mc_')));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^mc_[A-Za-z0-9_-]{22}$/);
  });

  it('lead with their creation time, so ids made together share a prefix', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1), toFake: ['Date'] });
    const together = [newId(), newId()];
    vi.setSystemTime(Date.UTC(2026, 0, 2));
    const later = newId();
    expect(together[0]!.slice(0, 8)).toBe(together[1]!.slice(0, 8));
    expect(together[0]!.slice(8)).not.toBe(together[1]!.slice(8));
    expect(later.slice(0, 8)).not.toBe(together[0]!.slice(0, 8));
  });
});
