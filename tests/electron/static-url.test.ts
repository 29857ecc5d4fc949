// When Electron serves the static URL (electron/static-url.main.ts): from the first state with a
// vending machine until closed, and again after a port that was taken is let go.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  serveStaticUrlWhileVending,
  type StaticUrlServing,
} from '../../electron/static-url.main.ts';
import { recordingLogger } from '../../terminal/api/testing/log-recorder.ts';
import { occupyPort, type OccupiedPort } from '../support/occupied-port.ts';
import { FakeKiosk, sampleState, sampleVending } from './fakes.ts';

describe('serving the static URL while the kiosk drives a vending machine', () => {
  const open: (StaticUrlServing | OccupiedPort)[] = [];
  afterEach(async () => {
    for (const each of open.splice(0).reverse()) {
      await ('release' in each ? each.release() : each.close());
    }
  });

  it('tries again once a taken port is let go, and stops trying when closed', async () => {
    const taken = await occupyPort();
    const kiosk = new FakeKiosk(sampleState({ vending: sampleVending() }));
    const log = recordingLogger();
    const serving = serveStaticUrlWhileVending({
      kiosk,
      listen: { host: '127.0.0.1', port: taken.port },
      logger: log.logger,
      retryMs: 20,
    });
    open.push(serving);
    const failures = () =>
      log.entries().filter((entry) => entry['msg'] === 'the static URL cannot be served').length;
    await vi.waitFor(() => expect(failures()).toBeGreaterThanOrEqual(2));
    expect(kiosk.setHostPublicUrl).not.toHaveBeenCalled();

    await taken.release();

    const url = `http://127.0.0.1:${taken.port}`;
    await vi.waitFor(() => expect(kiosk.setHostPublicUrl).toHaveBeenCalledWith(url));
    expect((await fetch(`${url}/v/term-1`)).status).toBe(404);
    await serving.close();
    await expect(fetch(`${url}/v/term-1`)).rejects.toThrow();
  });

  it('leaves a taken port alone while no vending machine is configured', async () => {
    const taken = await occupyPort();
    open.push(taken);
    const kiosk = new FakeKiosk(sampleState({ vending: sampleVending() }));
    const log = recordingLogger();
    const serving = serveStaticUrlWhileVending({
      kiosk,
      listen: { host: '127.0.0.1', port: taken.port },
      logger: log.logger,
      retryMs: 20,
    });
    open.push(serving);
    await vi.waitFor(() => expect(log.lines.join('')).toContain('cannot be served'));
    // The adapter is removed in Settings: the retry finds nothing to serve.
    kiosk.setState(sampleState());
    const tries = log.lines.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log.lines.length).toBeLessThanOrEqual(tries + 1);
  });
});
