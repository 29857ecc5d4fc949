// The terminal's settings as JSON under userData. What a valid setting is, and the defaults, are
// the browser host's too (hosts/default-settings.ts); this store adds what Electron's kiosk needs
// on top: each field that falls back to its default is named in the log, a write is checked
// whole and refused if anything is wrong, and the file is replaced atomically and flushed.
import { copyFile, readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { defaultSettings, settingsFromStored } from '../hosts/default-settings.ts';
import type { SettingsStore, TerminalSettings } from '../terminal/settings.ts';
import { createSerialQueue, writeFileAtomic } from './atomic-write.main.ts';

export interface JsonSettingsStoreOptions {
  /** The settings file, e.g. `<userData>/settings.json`. */
  file: string;
  logger: Logger;
}

/** Thrown by `write` for settings that do not fit their schema; names the field. */
export class InvalidSettingsError extends TypeError {
  constructor(readonly field: string) {
    super(`invalid setting: ${field}`);
    this.name = 'InvalidSettingsError';
  }
}

/** The fields of `stored` that `settingsFromStored` would not keep. */
function rejectedFields(stored: Record<string, unknown>, kept: TerminalSettings): string[] {
  const known = Object.keys(defaultSettings());
  return known.filter(
    (field) =>
      Object.hasOwn(stored, field) &&
      !Object.is(stored[field], (kept as unknown as Record<string, unknown>)[field]),
  );
}

export function createJsonSettingsStore(options: JsonSettingsStoreOptions): SettingsStore {
  const { file } = options;
  const logger = options.logger.child({ module: 'electron.settings-store' });
  const serially = createSerialQueue();

  async function readStored(): Promise<Record<string, unknown>> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
    // Kept for whoever investigates; the next write replaces the original.
    const copy = `${file}.corrupt-${Date.now()}`;
    await copyFile(file, copy).catch(() => undefined);
    logger.error({ file, copy }, 'the settings file is not a JSON object; using the defaults');
    return {};
  }

  return {
    read() {
      return serially(async () => {
        const stored = await readStored();
        const settings = settingsFromStored(stored);
        for (const setting of rejectedFields(stored, settings)) {
          logger.warn({ setting }, 'stored setting is invalid; using its default');
        }
        return settings;
      });
    },

    write(settings) {
      return serially(async () => {
        const record = settings as unknown as Record<string, unknown>;
        const [invalid] = rejectedFields(record, settingsFromStored(record));
        if (invalid !== undefined) throw new InvalidSettingsError(invalid);
        const clean = Object.fromEntries(
          Object.keys(defaultSettings()).map((field) => [field, record[field]]),
        );
        await writeFileAtomic(file, `${JSON.stringify(clean, null, 2)}\n`);
      });
    },
  };
}
