// The API key and the PIN hash, encrypted with Electron's safeStorage (Keychain on macOS, DPAPI on
// Windows, the Secret Service or KWallet on Linux) and kept as ciphertext in one file under
// userData. Where the OS offers no secure storage the store refuses to write rather than keep a
// secret in plain text (spec/terminal.md, "Secrets ... never sit in plain text").
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import {
  SecretStorageUnavailableError,
  type SecretName,
  type SecretStore,
} from '../terminal/settings.ts';
import { createSerialQueue, writeFileAtomic } from './atomic-write.main.ts';

/** The slice of Electron's `safeStorage` the store uses; tests pass a fake. */
export interface SafeStoragePort {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which keyring backs the encryption. */
  getSelectedStorageBackend(): string;
}

export interface SafeStorageSecretStoreOptions {
  safeStorage: SafeStoragePort;
  /** The ciphertext file, e.g. `<userData>/secrets.json`. */
  file: string;
  logger: Logger;
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
}

interface SecretFile {
  version: 1;
  /** Base64 of safeStorage ciphertext, by secret name. */
  secrets: Partial<Record<SecretName, string>>;
}

const HOW_TO_FIX =
  'Run the kiosk in a session with a keyring (gnome-keyring or KWallet, unlocked at login) or ' +
  'start it with --password-store=gnome-libsecret. The kiosk never keeps secrets in plain text.';

export function createSafeStorageSecretStore(options: SafeStorageSecretStoreOptions): SecretStore {
  const { safeStorage, file } = options;
  const platform = options.platform ?? process.platform;
  const logger = options.logger.child({ module: 'electron.secret-store' });
  const serially = createSerialQueue();

  /** Why secrets cannot be encrypted here, or null when they can. */
  function unavailableBecause(): string | null {
    if (!safeStorage.isEncryptionAvailable()) return 'safeStorage reports no encryption available';
    // On Linux without a keyring, Chromium's "basic_text" backend encrypts with a fixed,
    // well-known password: that is plain text with extra steps.
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return 'no keyring found (safeStorage backend is basic_text)';
    }
    return null;
  }

  async function load(): Promise<SecretFile> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, secrets: {} };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<SecretFile>;
      if (parsed.version === 1 && typeof parsed.secrets === 'object' && parsed.secrets !== null) {
        return { version: 1, secrets: parsed.secrets };
      }
    } catch {
      // Reported below.
    }
    logger.error({ file }, 'the secrets file is unreadable; treating every secret as unset');
    return { version: 1, secrets: {} };
  }

  return {
    async read(name) {
      const stored = (await load()).secrets[name];
      if (typeof stored !== 'string') return null;
      const reason = unavailableBecause();
      if (reason !== null) {
        logger.warn({ secret: name, reason }, `cannot decrypt the stored ${name}. ${HOW_TO_FIX}`);
        return null;
      }
      try {
        return safeStorage.decryptString(Buffer.from(stored, 'base64'));
      } catch (error) {
        // Typically a new OS keyring: the old ciphertext is lost, the attendant enters it again.
        logger.error({ secret: name, err: error }, `the stored ${name} cannot be decrypted`);
        return null;
      }
    },

    write(name, value) {
      return serially(async () => {
        const reason = unavailableBecause();
        if (reason !== null) {
          logger.warn(
            { secret: name, reason },
            `the ${name} was NOT saved: ${reason}. ${HOW_TO_FIX}`,
          );
          throw new SecretStorageUnavailableError(`secure storage is unavailable: ${reason}`);
        }
        const current = await load();
        const encrypted = safeStorage.encryptString(value).toString('base64');
        const next: SecretFile = { version: 1, secrets: { ...current.secrets, [name]: encrypted } };
        await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
      });
    },
  };
}
