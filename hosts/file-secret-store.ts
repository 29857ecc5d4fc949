// Secrets for the browser host, which has no OS keychain to ask: one file per secret, readable
// by the kiosk's user only. Electron keeps them with safeStorage instead.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretName, SecretStore } from '../terminal/settings.ts';
import { isMissing } from './file-settings-store.ts';

export class FileSecretStore implements SecretStore {
  constructor(private readonly directory: string) {}

  async read(name: SecretName): Promise<string | null> {
    try {
      return (await readFile(join(this.directory, name), 'utf8')).trim();
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async write(name: SecretName, value: string): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await chmod(this.directory, 0o700);
    const file = join(this.directory, name);
    await writeFile(`${file}.tmp`, value, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }
}
