// A crashed renderer reloads by itself; a crash loop backs off; a hung one is killed, then reloads.
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepRendererAlive, reloadDelayMs } from '../../electron/renderer-recovery.main.ts';
import { FakeWebContents } from './fakes.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function watched() {
  const contents = new FakeWebContents();
  keepRendererAlive(contents, { logger: pino({ level: 'silent' }), now: () => Date.now() });
  return contents;
}

const gone = (reason: string) => ({ reason, exitCode: 1 });

describe('renderer recovery', () => {
  it('reloads a crashed renderer at once', async () => {
    const contents = watched();
    contents.emit('render-process-gone', {}, gone('crashed'));
    await vi.advanceTimersByTimeAsync(0);
    expect(contents.reloads).toBe(1);
  });

  it('reloads after a kill or out-of-memory too, but not after a clean exit', async () => {
    const contents = watched();
    contents.emit('render-process-gone', {}, gone('clean-exit'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(contents.reloads).toBe(0);
    contents.emit('render-process-gone', {}, gone('oom'));
    await vi.advanceTimersByTimeAsync(0);
    expect(contents.reloads).toBe(1);
  });

  it('backs off in a crash loop', async () => {
    const contents = watched();
    contents.emit('render-process-gone', {}, gone('crashed'));
    await vi.advanceTimersByTimeAsync(0);
    contents.emit('render-process-gone', {}, gone('crashed'));
    await vi.advanceTimersByTimeAsync(999);
    expect(contents.reloads).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(contents.reloads).toBe(2);
  });

  it('does not reload a destroyed window', async () => {
    const contents = watched();
    contents.destroyed = true;
    contents.emit('render-process-gone', {}, gone('crashed'));
    await vi.advanceTimersByTimeAsync(0);
    expect(contents.reloads).toBe(0);
  });

  it('kills a renderer that stays unresponsive, and spares one that recovers', async () => {
    const contents = watched();
    contents.emit('unresponsive');
    await vi.advanceTimersByTimeAsync(10_000);
    contents.emit('responsive');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(contents.crashes).toBe(0);
    contents.emit('unresponsive');
    await vi.advanceTimersByTimeAsync(15_000);
    expect(contents.crashes).toBe(1);
  });

  it('doubles the delay from 1 s up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(reloadDelayMs)).toEqual([
      0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });
});
