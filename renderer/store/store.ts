// One vanilla store (no React here, so Node tests use it as is); React reaches it through the
// context in ./context.tsx, which lets a test or a second window inject its own.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createDevicesSlice } from './devices-slice.ts';
import { createKioskSlice } from './kiosk-slice.ts';
import type { KioskStoreState } from './types.ts';
import { createUiSlice } from './ui-slice.ts';

export type KioskStore = StoreApi<KioskStoreState>;

export function createKioskStore(): KioskStore {
  return createStore<KioskStoreState>()((...a) => ({
    ...createKioskSlice(...a),
    ...createUiSlice(...a),
    ...createDevicesSlice(...a),
  }));
}
