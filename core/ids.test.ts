import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('ids', () => {
  it('are URL-safe, carry their prefix, and do not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('mc_')));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^mc_[A-Za-z0-9_-]{22}$/);
  });
});
