import { createContext, useContext, type ReactNode } from 'react';
import type { KioskBridge } from '../contract.ts';

const BridgeContext = createContext<KioskBridge | null>(null);

/** Supplies the bridge to every screen; tests pass a fake. */
export function BridgeProvider({ bridge, children }: { bridge: KioskBridge; children: ReactNode }) {
  return <BridgeContext value={bridge}>{children}</BridgeContext>;
}

export function useBridge(): KioskBridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge needs a <BridgeProvider>');
  return bridge;
}
