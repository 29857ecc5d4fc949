// Sending a command: count it in flight, and record what went wrong where the screen shows it.
import { BridgeDisconnectedError, BridgeTimeoutError } from './bridge/errors.ts';
import type { CommandInput, CommandName, CommandResult, KioskBridge } from './contract.ts';
import type { KioskStore } from './store/store.ts';
import type { UiError } from './store/ui-slice.ts';

/**
 * Runs one command. Resolves to its result, or to null when no answer came (the error is then
 * in the store); never rejects, so a button handler need not catch.
 */
export async function runCommand<N extends CommandName>(
  bridge: KioskBridge,
  store: KioskStore,
  name: N,
  input: CommandInput<N>,
): Promise<CommandResult<N> | null> {
  store.getState().commandStarted();
  let error: UiError | null = null;
  try {
    const result = await bridge.invoke(name, input);
    if (!result.ok) error = { kind: 'refused', command: name, failure: result.error };
    return result;
  } catch (cause) {
    error = { kind: 'transport', command: name, reason: transportReason(cause) };
    return null;
  } finally {
    store.getState().commandAnswered(error);
  }
}

function transportReason(cause: unknown): 'disconnected' | 'timeout' | 'unexpected' {
  if (cause instanceof BridgeDisconnectedError) return 'disconnected';
  if (cause instanceof BridgeTimeoutError) return 'timeout';
  return 'unexpected';
}
