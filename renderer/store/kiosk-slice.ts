// What the terminal last said (its full snapshot) and whether the bridge to it is up.
import type { StateCreator } from 'zustand/vanilla';
import type { KioskState } from '../contract.ts';
import type { LinkStatus } from '../bridge/link.ts';
import type { KioskStoreState } from './types.ts';

export interface KioskSlice {
  /** Null until the bridge delivers the first snapshot. */
  kiosk: KioskState | null;
  link: LinkStatus;
  applySnapshot(state: KioskState): void;
  setLink(link: LinkStatus): void;
}

export const createKioskSlice: StateCreator<KioskStoreState, [], [], KioskSlice> = (set) => ({
  kiosk: null,
  link: 'connecting',
  applySnapshot: (state) =>
    set((current) => {
      const wasIdle = (current.kiosk?.sale.phase ?? 'idle') === 'idle';
      // A sale that starts (here, or after a reload) ends the keying: when it is over the
      // kiosk returns to its attract screen, not to the last amount.
      if (wasIdle && state.sale.phase !== 'idle') {
        return { kiosk: state, view: 'attract', amount: 0 };
      }
      return { kiosk: state };
    }),
  setLink: (link) => set({ link }),
});
