import { afterEach, describe, expect, it } from 'vitest';
import { BridgeDisconnectedError, BridgeTimeoutError } from './bridge/errors.ts';
import { runCommand } from './commands.ts';
import type { CommandResult, CommandName, KioskBridge } from './contract.ts';
import { createKioskStore } from './store/store.ts';

const store = createKioskStore();
afterEach(() => store.setState(store.getInitialState(), true));

function bridgeAnswering(answer: () => Promise<CommandResult<CommandName>>): KioskBridge {
  return {
    invoke: <N extends CommandName>() => answer() as Promise<CommandResult<N>>,
    subscribe: () => () => {},
  };
}

describe('runCommand', () => {
  it('returns the result, and counts the command in flight meanwhile', async () => {
    const bridge = bridgeAnswering(async () => {
      expect(store.getState().inFlight).toBe(1);
      return { ok: true, value: [] };
    });
    const result = await runCommand(bridge, store, 'journal.list', {});
    expect(result).toEqual({ ok: true, value: [] });
    expect(store.getState()).toMatchObject({ inFlight: 0, lastError: null });
  });

  it('records a refusal for the error banner', async () => {
    const failure = { code: 'PIN_REQUIRED', message: 'PIN first' } as const;
    const bridge = bridgeAnswering(async () => ({ ok: false, error: failure }));
    const result = await runCommand(bridge, store, 'refund.lookup', { shortCode: 'CP-AAA-AAA' });
    expect(result).toEqual({ ok: false, error: failure });
    expect(store.getState().lastError).toEqual({
      kind: 'refused',
      command: 'refund.lookup',
      failure,
    });
  });

  it.each([
    [new BridgeDisconnectedError('sale.cancel'), 'disconnected'],
    [new BridgeTimeoutError('sale.cancel', 30_000), 'timeout'],
    [new Error('boom'), 'unexpected'],
  ] as const)('turns a rejection (%s) into a transport error, never a throw', async (e, reason) => {
    const bridge = bridgeAnswering(() => Promise.reject(e));
    await expect(runCommand(bridge, store, 'sale.cancel', {})).resolves.toBeNull();
    expect(store.getState()).toMatchObject({
      inFlight: 0,
      lastError: { kind: 'transport', command: 'sale.cancel', reason },
    });
  });
});
