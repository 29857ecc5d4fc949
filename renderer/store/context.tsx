import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { KioskStore } from './store.ts';
import type { KioskStoreState } from './types.ts';

const StoreContext = createContext<KioskStore | null>(null);

export function StoreProvider({ store, children }: { store: KioskStore; children: ReactNode }) {
  return <StoreContext value={store}>{children}</StoreContext>;
}

export function useKioskStore(): KioskStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useKioskStore needs a <StoreProvider>');
  return store;
}

/** Selects one field (or one derived primitive) of the kiosk store. */
export function useKiosk<T>(selector: (state: KioskStoreState) => T): T {
  return useStore(useKioskStore(), selector);
}
