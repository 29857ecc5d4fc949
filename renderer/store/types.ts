import type { DevicesSlice } from './devices-slice.ts';
import type { KioskSlice } from './kiosk-slice.ts';
import type { UiSlice } from './ui-slice.ts';

/** The one kiosk store: every slice spread together (zustand's slices pattern). */
export type KioskStoreState = KioskSlice & UiSlice & DevicesSlice;
