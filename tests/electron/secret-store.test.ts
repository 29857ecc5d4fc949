// Secrets go to disk only as safeStorage ciphertext; without secure storage, not at all.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../../terminal/api/testing/log-recorder.ts';
import { createSafeStorageSecretStore } from '../../electron/secret-store.main.ts';
import { SecretStorageUnavailableError } from '../../terminal/settings.ts';
import { createFakeSafeStorage } from './fakes.ts';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-secrets-'));
  file = join(dir, 'secrets.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function store(
  options: { available?: boolean; backend?: string; platform?: NodeJS.Platform } = {},
) {
  const safeStorage = createFakeSafeStorage(options);
  const recorder = recordingLogger();
  const secrets = createSafeStorageSecretStore({
    safeStorage,
    file,
    logger: recorder.logger,
    platform: options.platform ?? 'linux',
  });
  return { secrets, safeStorage, ...recorder };
}

describe('the safeStorage secret store', () => {
  it('round-trips a secret through safeStorage', async () => {
    const { secrets } = store();
    await secrets.write('apiKey', 'sk_live_correct-horse');
    expect(await secrets.read('apiKey')).toBe('sk_live_correct-horse');
  });

  it('keeps only ciphertext on disk, readable by this user alone', async () => {
    const { secrets } = store();
    await secrets.write('apiKey', 'sk_live_correct-horse');
    expect(await readFile(file, 'utf8')).not.toContain('correct-horse');
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keeps the last of two writes made at once, whole', async () => {
    const { secrets } = store();
    await Promise.all([secrets.write('apiKey', 'first'), secrets.write('apiKey', 'second')]);
    expect(await secrets.read('apiKey')).toBe('second');
  });

  it('reads null when nothing was stored', async () => {
    expect(await store().secrets.read('apiKey')).toBeNull();
  });

  it('refuses to store when encryption is unavailable, and says why', async () => {
    const { secrets, entries } = store({ available: false });
    await expect(secrets.write('apiKey', 'sk_live_x')).rejects.toBeInstanceOf(
      SecretStorageUnavailableError,
    );
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    const warning = entries().find((entry) => entry['level'] === 40);
    expect(warning?.['msg']).toMatch(/apiKey was NOT saved.*plain text/);
    expect(JSON.stringify(entries())).not.toContain('sk_live_x');
  });

  it('refuses Linux’s basic_text backend, which is plain text in disguise', async () => {
    const { secrets } = store({ backend: 'basic_text', platform: 'linux' });
    await expect(secrets.write('apiKey', 'k')).rejects.toThrow(/basic_text/);
    // The backend name means nothing off Linux.
    await store({ backend: 'basic_text', platform: 'darwin' }).secrets.write('apiKey', 'k');
  });

  it('reads null, with a warning, when encryption has gone away since', async () => {
    await store().secrets.write('apiKey', 'k');
    const { secrets, entries } = store({ available: false });
    expect(await secrets.read('apiKey')).toBeNull();
    expect(entries().some((entry) => entry['level'] === 40)).toBe(true);
  });

  it('reads null, with an error, for ciphertext it cannot decrypt', async () => {
    await writeFile(file, JSON.stringify({ version: 1, secrets: { apiKey: 'bm90IG91cnM=' } }));
    const { secrets, entries } = store();
    expect(await secrets.read('apiKey')).toBeNull();
    expect(entries().some((entry) => entry['level'] === 50)).toBe(true);
  });
});
