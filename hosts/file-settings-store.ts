// Settings as a JSON file, written atomically (temp file + rename) so a power cut mid-write
// leaves the old settings rather than half a file.
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { SettingsStore, TerminalSettings } from '../terminal/settings.ts';
import { settingsFromStored } from './default-settings.ts';

export class FileSettingsStore implements SettingsStore {
  constructor(private readonly file: string) {}

  async read(): Promise<TerminalSettings> {
    try {
      return settingsFromStored(JSON.parse(await readFile(this.file, 'utf8')));
    } catch (error) {
      if (isMissing(error) || error instanceof SyntaxError) return settingsFromStored(null);
      throw error;
    }
  }

  async write(settings: TerminalSettings): Promise<void> {
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.file);
  }
}

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
