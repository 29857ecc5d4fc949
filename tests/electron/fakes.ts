// Stand-ins for Electron's main-process objects, so the shell is tested without the Electron
// binary. Each records what the code under test did to it; none pretends to be secure.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import type { KioskStack, KioskStackOptions } from '../../hosts/kiosk-stack.ts';
import type {
  CommandName,
  CommandResult,
  KioskState,
  VendingView,
} from '../../terminal/contract/bridge.ts';
import type { VisitAnswer } from '../../terminal/flows/vending-flow.ts';
import type { Kiosk } from '../../terminal/kiosk.ts';
import type { InvokeEvent, InvokeHandler, IpcMainPort } from '../../electron/ipc-adapter.main.ts';
import type { SafeStoragePort } from '../../electron/secret-store.main.ts';
import type { NavigationEvent, WindowOptions } from '../../electron/window.main.ts';

export const APP_URL = 'app://kiosk/index.html';

/** A vending machine beside the kiosk, idle, as the state shows it. */
export function sampleVending(): VendingView {
  return {
    phase: 'idle',
    staticUrl: null,
    readerAvailable: true,
    currency: 'NZD',
    maxPrice: 500,
    request: null,
    vend: null,
    outcome: null,
  };
}

export function sampleState(overrides: Partial<KioskState> = {}): KioskState {
  return {
    merchantName: 'Corner Café',
    currency: 'NZD',
    terminalId: 'term-1',
    apiReachable: true,
    sale: { phase: 'idle' },
    refund: { phase: 'idle' },
    attendant: { unlocked: false, lockedUntil: null },
    devices: [],
    vending: null,
    ...overrides,
  };
}

/** A navigation event whose cancellation can be read back. */
export function navigation(url: string): NavigationEvent & { defaultPrevented: boolean } {
  const event = {
    url,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export function preventable(): { defaultPrevented: boolean; preventDefault(): void } {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export class FakeWebContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  reloads = 0;
  crashes = 0;
  destroyed = false;
  readonly sent: { channel: string; args: unknown[] }[] = [];

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  reload(): void {
    this.reloads++;
  }
  forcefullyCrashRenderer(): void {
    this.crashes++;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

/** A fresh BrowserWindow class per test, with the windows it made. */
export function fakeBrowserWindowClass() {
  const instances: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    readonly loaded: string[] = [];
    readonly kioskChanges: boolean[] = [];
    menuRemoved = false;
    visible = false;
    focused = false;
    minimized = false;

    constructor(readonly options: WindowOptions) {
      super();
      instances.push(this);
    }
    async loadURL(url: string): Promise<void> {
      this.loaded.push(url);
    }
    removeMenu(): void {
      this.menuRemoved = true;
    }
    show(): void {
      this.visible = true;
    }
    focus(): void {
      this.focused = true;
    }
    restore(): void {
      this.minimized = false;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    setKiosk(flag: boolean): void {
      this.kioskChanges.push(flag);
    }
    isDestroyed(): boolean {
      return false;
    }
  }
  return { BrowserWindow: FakeBrowserWindow, instances };
}

export class FakeIpcMain implements IpcMainPort {
  readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, listener: InvokeHandler): void {
    // Electron refuses a second handler for a channel; so does the fake.
    if (this.handlers.has(channel)) throw new Error(`a handler for '${channel}' exists`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What `ipcRenderer.invoke(channel, ...args)` from `event`'s frame ends up doing. */
  async invoke(channel: string, event: InvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

/** An invoke event from the app's top frame in `sender`. */
export function appFrameEvent(sender: unknown, url = APP_URL): InvokeEvent {
  return { sender, senderFrame: { url, parent: null } };
}

export class FakeSession extends EventEmitter {
  permissionRequestHandler:
    | ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void)
    | null = null;
  permissionCheckHandler:
    ((webContents: unknown, permission: string, origin: string) => boolean) | null = null;
  devicePermissionHandler: ((details: unknown) => boolean) | null = null;
  headersListener:
    | ((
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void)
    | null = null;
  readonly protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();

  readonly webRequest = {
    onHeadersReceived: (listener: NonNullable<FakeSession['headersListener']>) => {
      this.headersListener = listener;
    },
  };
  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
      this.protocolHandlers.set(scheme, handler);
    },
  };

  setPermissionRequestHandler(handler: NonNullable<FakeSession['permissionRequestHandler']>) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: NonNullable<FakeSession['permissionCheckHandler']>) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: (details: unknown) => boolean) {
    this.devicePermissionHandler = handler;
  }
}

/**
 * NOT encryption: a reversible scramble with a marker, standing in for the OS keyring so tests
 * can see that ciphertext, not the secret, reaches the disk.
 */
export function createFakeSafeStorage(
  options: { available?: boolean; backend?: string } = {},
): SafeStoragePort & { available: boolean; backend: string } {
  const marker = 'FAKE-SAFE-STORAGE:';
  return {
    available: options.available ?? true,
    backend: options.backend ?? 'gnome_libsecret',
    isEncryptionAvailable() {
      return this.available;
    },
    getSelectedStorageBackend() {
      return this.backend;
    },
    encryptString(plainText) {
      const scrambled = Buffer.from(plainText, 'utf8').map((byte) => byte ^ 0x5a);
      return Buffer.concat([Buffer.from(marker), scrambled]);
    },
    decryptString(encrypted) {
      if (!encrypted.subarray(0, marker.length).equals(Buffer.from(marker))) {
        throw new Error('fake safeStorage: not its ciphertext');
      }
      return Buffer.from(encrypted.subarray(marker.length).map((byte) => byte ^ 0x5a)).toString();
    },
  };
}

export class FakeApp extends EventEmitter {
  isPackaged = false;
  lockGranted = true;
  quitCalls = 0;
  quitCompleted = false;
  exitCode: number | null = null;

  constructor(private readonly userData: string) {
    super();
  }
  requestSingleInstanceLock(): boolean {
    return this.lockGranted;
  }
  async whenReady(): Promise<void> {}
  getPath(_name: 'userData'): string {
    return this.userData;
  }
  /** Like Electron: `before-quit` may cancel the quit. */
  quit(): void {
    this.quitCalls++;
    const event = preventable();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitCompleted = true;
  }
  exit(exitCode = 0): void {
    this.exitCode = exitCode;
  }
}

export class FakePowerSaveBlocker {
  readonly active = new Set<number>();
  readonly types: string[] = [];
  #next = 1;
  start(type: 'prevent-display-sleep'): number {
    this.types.push(type);
    const id = this.#next++;
    this.active.add(id);
    return id;
  }
  stop(id: number): void {
    this.active.delete(id);
  }
}

/** A terminal stand-in: records commands and lets a test push state. */
export class FakeKiosk implements Kiosk {
  #state: KioskState;
  readonly #listeners = new Set<(state: KioskState) => void>();
  readonly invoked: { name: string; input: unknown }[] = [];
  reply: CommandResult<CommandName> = { ok: true, value: undefined };
  readonly close = vi.fn(async () => {});
  /** No vending machine here unless a test says what a visit answers. */
  readonly visitVendingMachine = vi.fn((_terminalId: string): Promise<VisitAnswer> | null => null);
  readonly setHostPublicUrl = vi.fn((_url: string | null) => {});

  constructor(state: KioskState = sampleState()) {
    this.#state = state;
  }
  async invoke<N extends CommandName>(name: N, input: unknown): Promise<CommandResult<N>> {
    this.invoked.push({ name, input });
    return this.reply as CommandResult<N>;
  }
  subscribe(listener: (state: KioskState) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#state);
    return () => this.#listeners.delete(listener);
  }
  get listenerCount(): number {
    return this.#listeners.size;
  }
  setState(state: KioskState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener(state);
  }
}

export function fakeStackStarter(kiosk = new FakeKiosk()) {
  const started: KioskStackOptions[] = [];
  const close = vi.fn(async () => {});
  const startKioskStack = vi.fn(async (options: KioskStackOptions): Promise<KioskStack> => {
    started.push(options);
    return {
      kiosk,
      embeddedCoreUrl: 'http://127.0.0.1:0',
      apiBaseUrl: 'http://127.0.0.1:0',
      close,
    };
  });
  return { startKioskStack, started, close, kiosk };
}
