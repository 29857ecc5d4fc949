// The browser host's per-start token arrives in the URL fragment (`#token=...`), which is never
// sent to a server. It is kept in sessionStorage so a reload still connects, and removed from
// the visible URL so it does not sit in the address bar or history.

export const TOKEN_STORAGE_KEY = 'kiosk.token';

export interface TokenEnvironment {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export function takeToken(env: TokenEnvironment): string | null {
  const fromHash = new URLSearchParams(env.location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    keepToken(env.storage, fromHash);
    env.history.replaceState(env.history.state, '', env.location.pathname + env.location.search);
    return fromHash;
  }
  try {
    return env.storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Keeps `token` for reloads of this page (a start link's, or one earned by pairing). */
export function keepToken(storage: TokenEnvironment['storage'], token: string): void {
  try {
    storage?.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Storage refused (quota, privacy mode): this page still works, only a reload will not.
  }
}

/** `window.sessionStorage`, or null where reading it throws (storage disabled). */
export function sessionStorageOrNull(win: Window): Storage | null {
  try {
    return win.sessionStorage;
  } catch {
    return null;
  }
}
