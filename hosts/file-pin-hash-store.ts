// The attendant PIN's scrypt hash as a file in the kiosk's data directory (see PinHashStore).
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { PinHashStore } from '../terminal/attendant-lock.ts';
import { isMissing } from './file-settings-store.ts';

export class FilePinHashStore implements PinHashStore {
  constructor(private readonly file: string) {}

  async read(): Promise<string | null> {
    try {
      return (await readFile(this.file, 'utf8')).trim();
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async write(hash: string): Promise<void> {
    await writeFile(`${this.file}.tmp`, hash, { mode: 0o600 });
    await rename(`${this.file}.tmp`, this.file);
  }
}
