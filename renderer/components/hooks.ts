import { useCallback, useEffect, useState } from 'react';
import { useBridge } from '../bridge/context.tsx';
import { runCommand } from '../commands.ts';
import type { CommandInput, CommandName, CommandResult } from '../contract.ts';
import { useKiosk, useKioskStore } from '../store/context.tsx';

/** Sends commands through the bridge, recording failures for the error banner. */
export function useCommand(): <N extends CommandName>(
  name: N,
  input: CommandInput<N>,
) => Promise<CommandResult<N> | null> {
  const bridge = useBridge();
  const store = useKioskStore();
  return useCallback((name, input) => runCommand(bridge, store, name, input), [bridge, store]);
}

/** True while a command is in flight or the bridge is down: buttons that send wait. */
export function useBusy(): boolean {
  return useKiosk((s) => s.inFlight > 0 || s.link !== 'open');
}

/** The current time, refreshed every `intervalMs` while `active`. */
export function useNow(intervalMs = 250, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
  return now;
}
