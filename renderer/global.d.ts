import type { KioskBridge } from './contract.ts';

declare global {
  interface Window {
    /** Set by Electron's preload script; absent in a plain browser. */
    readonly kiosk?: KioskBridge;
  }
}
