// The device list an attendant is editing in Settings, and what `devices.discover` last found
// attached. Nothing here reaches the kiosk until the list is saved with `settings.update`.
import type { StateCreator } from 'zustand/vanilla';
import type { AttachedDevices, DeviceConfig } from '../contract.ts';
import type { KioskStoreState } from './types.ts';

export interface DevicesSlice {
  /** The list being edited; null until Settings loads the saved one. */
  deviceDraft: DeviceConfig[] | null;
  /** The last listing of attached ports and devices; null until one is asked for. */
  attached: AttachedDevices | null;

  /** Starts editing `devices` (the saved list), forgetting any earlier edit and listing. */
  editDevices(devices: DeviceConfig[]): void;
  addDevice(device: DeviceConfig): void;
  removeDevice(id: string): void;
  setAttached(attached: AttachedDevices): void;
}

export const createDevicesSlice: StateCreator<KioskStoreState, [], [], DevicesSlice> = (set) => ({
  deviceDraft: null,
  attached: null,

  editDevices: (devices) => set({ deviceDraft: devices, attached: null }),
  addDevice: (device) => set((s) => ({ deviceDraft: [...(s.deviceDraft ?? []), device] })),
  removeDevice: (id) =>
    set((s) => ({ deviceDraft: (s.deviceDraft ?? []).filter((device) => device.id !== id) })),
  setAttached: (attached) => set({ attached }),
});
