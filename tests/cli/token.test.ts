import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../core/seed/demo.ts';
import { startCore, type RunningCore } from '../../core/server.ts';

const run = promisify(execFile);

describe('npx kiosk token', () => {
  let dir: string;
  let core: RunningCore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-token-'));
    core = await startCore({ db: join(dir, 'core.db'), port: 0 });
  });
  afterEach(async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a token the running core accepts for the demo consumer', async () => {
    const { stdout } = await run(process.execPath, [
      'bin/kiosk.mjs',
      'token',
      DEMO.consumerUserId,
      '--db',
      join(dir, 'core.db'),
    ]);
    const token = stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const created = await fetch(`${core.url}/api/payment-requests`, {
      method: 'POST',
      headers: { 'x-api-key': DEMO.terminalKey, 'content-type': 'application/json' },
      body: JSON.stringify({ configId: DEMO.configId, value: { amount: '100', currency: 'NZD' } }),
    });
    const { id } = (await created.json()) as { id: string };
    const paid = await fetch(`${core.url}/api/payment-requests/${id}/pay`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({ assetType: 'centrapay.nzd.test', assetId: DEMO.walletId }),
    });
    expect(paid.status).toBe(200);
  });

  it('refuses a user that does not exist, saying so', async () => {
    await expect(
      run(process.execPath, ['bin/kiosk.mjs', 'token', 'nobody', '--db', join(dir, 'core.db')]),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('no user nobody'),
    });
  });
});
