import { describe, expect, it, vi } from 'vitest';
import { takeToken, TOKEN_STORAGE_KEY, type TokenEnvironment } from './token.ts';

function environment(hash: string, stored: string | null = null) {
  const storage = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : []);
  const env = {
    location: { hash, pathname: '/', search: '?idleMs=5000' },
    history: { state: null, replaceState: vi.fn() },
    storage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
    },
  } satisfies TokenEnvironment;
  return { env, storage };
}

describe('takeToken', () => {
  it('takes the token from the fragment, keeps it, and clears it from the URL', () => {
    const { env, storage } = environment('#token=abc123');
    expect(takeToken(env)).toBe('abc123');
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('abc123');
    expect(env.history.replaceState).toHaveBeenCalledWith(null, '', '/?idleMs=5000');
  });

  it('after a reload, finds the kept token', () => {
    const { env } = environment('', 'abc123');
    expect(takeToken(env)).toBe('abc123');
    expect(env.history.replaceState).not.toHaveBeenCalled();
  });

  it('prefers a new token in the fragment to a kept one', () => {
    const { env, storage } = environment('#token=new', 'old');
    expect(takeToken(env)).toBe('new');
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('new');
  });

  it('has none without fragment or storage', () => {
    expect(takeToken(environment('').env)).toBeNull();
    expect(takeToken({ ...environment('').env, storage: null })).toBeNull();
  });

  it('still works when storage refuses', () => {
    const { env } = environment('#token=abc');
    env.storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    expect(takeToken(env)).toBe('abc');
  });
});
