// The kiosk's brain behind the bridge: validates every command, runs the sale, refund and vending
// flows, guards attendant commands with the PIN, keeps the journal reconciled, and pushes one
// state snapshot to every subscriber on each change. Both hosts (Electron, browser) wrap this
// object.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ScanEvent } from '../hardware/scanners/scan-read.ts';
import type { KioskBridge } from './contract/bridge.ts';
import type { CommandInput, CommandName } from './contract/commands.ts';
import { isPatronBarcode } from './contract/patron-barcode.ts';
import type {
  CommandFailure,
  CommandReplies,
  CommandResult,
  KioskSettings,
} from './contract/replies.ts';
import type { KioskState, SalePhase } from './contract/state.ts';
import { validateCommand } from './contract/validate-command.ts';
import type { PaymentApi } from './api/payment-api.ts';
import { trackReachability } from './api/reachability.ts';
import { deviceListProblem, type VendingSettings } from './devices/device-config.ts';
import type { DeviceFactory } from './devices/device-factory.ts';
import { DeviceSet } from './devices/device-set.ts';
import { routeScan } from './devices/scan-routing.ts';
import type { CashlessReader } from './devices/vending-reader.ts';
import { AttendantLock, type PinHashStore } from './attendant-lock.ts';
import { RefusedTransitionError } from './flows/refused-transition.ts';
import { Journal } from './journal.ts';
import { reconcileJournal } from './reconciler.ts';
import { RefundRunner } from './refund-runner.ts';
import { SaleRunner } from './sale-runner.ts';
import type { VisitAnswer } from './flows/vending-flow.ts';
import { VendingRunner } from './vending-runner.ts';
import {
  SecretStorageUnavailableError,
  type SecretStore,
  type SettingsStore,
  type TerminalSettings,
} from './settings.ts';

export interface Kiosk extends KioskBridge {
  /**
   * A consumer opened the static URL of `terminalId`'s vending machine: where to pay, or why not
   * now. Null when this kiosk is not that terminal or drives no vending machine.
   */
  visitVendingMachine(terminalId: string): Promise<VisitAnswer> | null;
  /**
   * The host serves the static URL (the route that calls visitVendingMachine) at `url`, its own
   * address for phones; null, as at start, while nothing serves it. Without a server there is no
   * static URL at all, whatever `publicBaseUrl` says: a QR code nothing answers sells nothing.
   */
  setHostPublicUrl(url: string | null): void;
  close(): Promise<void>;
}

export interface KioskOptions {
  settings: SettingsStore;
  secrets: SecretStore;
  pinHashes: PinHashStore;
  journalPath: string;
  /** The core inside this kiosk, used while the settings name no remote API. */
  embeddedApiBaseUrl: string | null;
  /** The key for the embedded core when none is stored (the demo seed's terminal key). */
  embeddedApiKey: string | null;
  createApi: (baseUrl: string, apiKey: string) => PaymentApi;
  logger: Logger;
  /** How often unfinished journal entries are retried; default 30 s. */
  reconcileIntervalMs?: number;
  /**
   * Makes the devices the settings list (scanners, the vending adapter), at start and whenever an
   * attendant changes the list, and lists what is attached. Their health is the state's
   * `devices`; their reads go where routeScan() says.
   */
  devices: DeviceFactory;
}

const ATTENDANT_COMMANDS: ReadonlySet<CommandName> = new Set([
  'refund.lookup',
  'refund.submit',
  'refund.dismiss',
  'journal.list',
  'settings.get',
  'settings.update',
  'settings.changePin',
  'devices.discover',
]);

/** Sale phases where Cancel is accepted and the consumer has not paid yet. */
const ABANDONABLE_PHASES: ReadonlySet<SalePhase> = new Set([
  'awaitingBarcode',
  'creating',
  'awaitingPayment',
  'declined',
]);
const SHUTDOWN_VOID_WAIT_MS = 3_000;

class CommandRefused extends Error {
  constructor(readonly failure: CommandFailure) {
    super(failure.message);
  }
}

type Handlers = {
  [N in CommandName]: (input: CommandInput<N>) => Promise<CommandReplies[N]> | CommandReplies[N];
};

export async function startKiosk(options: KioskOptions): Promise<Kiosk> {
  const settings = await options.settings.read();
  const kiosk = new KioskRuntime(options, settings);
  await kiosk.connect();
  return kiosk;
}

class KioskRuntime implements Kiosk {
  readonly #options: KioskOptions;
  readonly #logger: Logger;
  readonly #journal: Journal;
  readonly #attendant: AttendantLock;
  readonly #sale: SaleRunner;
  readonly #refund: RefundRunner;
  readonly #devices: DeviceSet;
  readonly #listeners = new Set<(state: KioskState) => void>();
  readonly #handlers: Handlers;
  #settings: TerminalSettings;
  #api: PaymentApi | null = null;
  #apiReachable = true;
  #hostPublicUrl: string | null = null;
  #reconciling: Promise<unknown> | null = null;
  #reconcileTimer: NodeJS.Timeout | null = null;
  #publishQueued = false;

  constructor(options: KioskOptions, settings: TerminalSettings) {
    this.#options = options;
    this.#settings = settings;
    this.#logger = options.logger.child({ module: 'kiosk' });
    this.#journal = new Journal(options.journalPath);
    this.#attendant = new AttendantLock(options.pinHashes);
    const api = () => this.#requireApi();
    const publish = () => this.#publish();
    this.#sale = new SaleRunner({
      api,
      identity: () => this.#settings,
      journal: this.#journal,
      logger: this.#logger.child({ flow: 'sale' }),
      onChange: publish,
      onMerchantName: (name) => this.#rememberMerchantName(name),
    });
    this.#refund = new RefundRunner({
      api,
      journal: this.#journal,
      logger: this.#logger.child({ flow: 'refund' }),
      onChange: publish,
    });
    this.#devices = new DeviceSet({
      factory: options.devices,
      logger: this.#logger,
      vendingRunner: (reader, adapter) => this.#vendingRunner(reader, adapter),
      onChange: publish,
      onScan: (scan) => void this.#routeScan(scan),
    });
    this.#handlers = this.#commandHandlers();
  }

  /** The vending flow on the vending adapter's reader, for the terminal as the settings say. */
  #vendingRunner(reader: CashlessReader, adapter: VendingSettings): VendingRunner {
    return new VendingRunner({
      api: () => this.#api,
      identity: () => this.#settings,
      config: () => ({
        terminalId: this.#settings.terminalId,
        currency: this.#settings.currency,
        maxPriceMinor: adapter.maxCredit,
        preAuth: adapter.preAuth ?? true,
      }),
      reader,
      journal: this.#journal,
      logger: this.#logger.child({ flow: 'vending' }),
      onChange: () => this.#publish(),
    });
  }

  /** Builds the API client from the settings and starts reconciling the journal. */
  async connect(): Promise<void> {
    await this.#rebuildApi();
    if (await this.#attendant.usesDemoPin()) {
      this.#logger.warn('the attendant PIN is still the demo PIN; change it in Settings');
    }
    await this.#useDevices(this.#settings);
    this.#reconcileSoon();
    this.#reconcileTimer = setInterval(() => {
      this.#reconcileSoon();
      this.#devices.vending?.reconcile();
    }, this.#options.reconcileIntervalMs ?? 30_000);
  }

  /** Puts the devices `settings` list in use, in place of those in use now. */
  async #useDevices(settings: TerminalSettings): Promise<void> {
    await this.#devices.use(settings.devices, settings.currency);
    // Only a vending runner settles vending sessions: without an adapter they wait for one.
    const unfinished = this.#journal.unfinishedVending().length;
    if (unfinished > 0 && this.#devices.vending === null) {
      this.#logger.warn({ unfinished }, 'unfinished vending sessions wait for a vending adapter');
    }
  }

  /** A scanner read goes through invoke(), as the same command from the screen would. */
  async #routeScan(scan: ScanEvent): Promise<void> {
    // Never the read itself: it may be a payment code.
    const about = { source: scan.source, symbology: scan.symbology, length: scan.data.length };
    const route = routeScan(scan.data, this.#snapshot());
    if (route.command === null) {
      this.#logger.info({ ...about, reason: route.reason }, 'scan ignored');
      return;
    }
    try {
      const result = await this.invoke(route.command, route.input);
      if (result.ok) this.#logger.info({ ...about, command: route.command }, 'scan routed');
      else {
        const { code } = result.error;
        this.#logger.info({ ...about, command: route.command, code }, 'scan refused');
      }
    } catch (error) {
      this.#logger.error({ ...about, command: route.command, err: error }, 'scan failed');
    }
  }

  async invoke<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandResult<N>> {
    const command = validateCommand(name, input);
    if (!command.ok) return { ok: false, error: command.error };
    if (ATTENDANT_COMMANDS.has(name) && !this.#attendant.touch()) {
      this.#publish();
      return {
        ok: false,
        error: { code: 'PIN_REQUIRED', message: `${name} needs the attendant PIN` },
      };
    }
    try {
      const handler = this.#handlers[name] as (input: CommandInput<N>) => CommandReplies[N];
      return { ok: true, value: await handler(input) };
    } catch (error) {
      if (error instanceof CommandRefused) return { ok: false, error: error.failure };
      if (error instanceof RefusedTransitionError) {
        return {
          ok: false,
          error: { code: 'WRONG_PHASE', message: error.message, phase: error.phase },
        };
      }
      throw error;
    } finally {
      this.#publish();
    }
  }

  subscribe(listener: (state: KioskState) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#snapshot());
    return () => this.#listeners.delete(listener);
  }

  visitVendingMachine(terminalId: string): Promise<VisitAnswer> | null {
    const vending = this.#devices.vending;
    if (!vending || terminalId !== this.#settings.terminalId) return null;
    return vending.visit();
  }

  setHostPublicUrl(url: string | null): void {
    this.#hostPublicUrl = url;
    this.#publish();
  }

  async close(): Promise<void> {
    if (this.#reconcileTimer) clearInterval(this.#reconcileTimer);
    await this.#devices.close();
    await this.#abandonSaleOnScreen();
    this.#sale.close();
    await this.#reconciling;
    this.#listeners.clear();
    this.#journal.close();
  }

  /**
   * Shutting down leaves the screen: a sale still waiting for its consumer is voided now, as the
   * spec asks of any abandoned request. The wait is short; what does not finish in time stays
   * 'void-pending' in the journal and is finished by the reconciler at the next start.
   */
  async #abandonSaleOnScreen(): Promise<void> {
    if (!ABANDONABLE_PHASES.has(this.#sale.state.phase)) return;
    this.#sale.dispatch({ type: 'cancelPressed' });
    const deadline = Date.now() + SHUTDOWN_VOID_WAIT_MS;
    while (this.#sale.state.phase === 'cancelling' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  #commandHandlers(): Handlers {
    return {
      'sale.start': ({ amount, method, lines = [] }) => {
        this.#requireApi();
        const basketTotal = lines.reduce((sum, line) => sum + line.price, 0);
        if (lines.length > 0 && basketTotal !== amount) {
          refuseInput('lines', `the basket lines add up to ${basketTotal}, not ${amount}`);
        }
        if (this.#sale.state.phase !== 'idle') {
          throw new CommandRefused({
            code: 'WRONG_PHASE',
            message: 'a sale is already in progress',
            phase: this.#sale.state.phase,
          });
        }
        this.#sale.start({
          saleId: randomUUID(),
          method,
          amount,
          currency: this.#settings.currency,
          lines,
        });
      },
      'sale.submitVoucher': ({ code }) =>
        this.#sale.dispatch({ type: 'codeSubmitted', code: code.trim() }),
      'sale.submitBarcode': ({ barcode }) => {
        const digits = barcode.trim();
        if (!isPatronBarcode(digits)) {
          refuseInput('barcode', 'a patron code is 16 digits with a valid check digit');
        }
        this.#sale.dispatch({ type: 'barcodeEntered', barcode: digits });
      },
      'sale.retryCode': () => this.#sale.dispatch({ type: 'retryCodePressed' }),
      'sale.cancel': () => this.#sale.dispatch({ type: 'cancelPressed' }),
      'sale.dismiss': () => this.#sale.dispatch({ type: 'dismissed' }),
      'vending.cancel': () => this.#requireVending().dispatch({ type: 'cancelPressed' }),
      'vending.dismiss': () => this.#requireVending().dispatch({ type: 'dismissed' }),
      // The screen recognised a keyboard-wedge scan: it goes where a serial scanner's read would.
      'scanner.wedgeRead': ({ data }) =>
        this.#routeScan({ source: 'wedge', symbology: 'unknown', data, at: Date.now() }),
      'attendant.unlock': ({ pin }) => this.#attendant.unlock(pin),
      'attendant.lock': () => {
        this.#attendant.lock();
        if (this.#refund.state.phase !== 'refunding') {
          this.#refund.dispatch({ type: 'dismissed' });
        }
      },
      'refund.lookup': ({ shortCode }) => {
        this.#requireApi();
        this.#refund.dispatch({ type: 'lookupRequested', shortCode });
      },
      'refund.submit': ({ amount }) =>
        this.#refund.dispatch({ type: 'refundRequested', amount, newReference: randomUUID() }),
      'refund.dismiss': () => this.#refund.dispatch({ type: 'dismissed' }),
      'journal.list': ({ limit = 100 }) => this.#journal.list(limit),
      'settings.get': () => this.#settingsView(),
      'settings.update': async ({ apiKey, ...changes }) => {
        if (this.#sale.state.phase !== 'idle') {
          throw new CommandRefused({
            code: 'WRONG_PHASE',
            message: 'settings change only between sales',
            phase: this.#sale.state.phase,
          });
        }
        const next = { ...this.#settings, ...changes };
        const devicesChanged = !this.#devices.isInUse(next.devices);
        if (devicesChanged) this.#refuseDeviceChange(next);
        const apiChanged = apiKey !== undefined || next.apiBaseUrl !== this.#settings.apiBaseUrl;
        // A vending session's money steps go to the API its request lives on.
        const unsettled = this.#journal.unfinishedVending().length;
        if (apiChanged && unsettled > 0) {
          throw new CommandRefused({
            code: 'WRONG_PHASE',
            message: `the payment API changes only once every vending session is settled (${unsettled} open)`,
            phase: this.#devices.vending?.state.phase ?? 'settling',
          });
        }
        // The new client is built before anything is stored: a URL it refuses changes nothing.
        let api = this.#api;
        if (apiChanged) {
          try {
            api = await this.#apiFor(next, apiKey ?? null);
          } catch (error) {
            refuseInput('apiBaseUrl', error instanceof Error ? error.message : String(error));
          }
        }
        if (apiKey !== undefined)
          await refuseWithoutSecureStorage(this.#options.secrets.write('apiKey', apiKey));
        await this.#options.settings.write(next);
        this.#settings = next;
        this.#api = api;
        this.#logger.info({ changed: Object.keys(changes) }, 'settings updated');
        if (devicesChanged) await this.#useDevices(next);
        return this.#settingsView();
      },
      'settings.changePin': ({ newPin }) => this.#attendant.changePin(newPin),
      'devices.discover': () => this.#devices.discover(),
    };
  }

  /**
   * Refuses a device list that cannot work (what the schema cannot check), and any change while
   * a vending session would be cut off; a sale in progress was refused before this.
   */
  #refuseDeviceChange(next: TerminalSettings): void {
    const problem = deviceListProblem(next.devices);
    if (problem !== null) refuseInput('devices', problem);
    const vending = this.#devices.vending;
    if (vending && vending.state.phase !== 'idle') {
      throw new CommandRefused({
        code: 'WRONG_PHASE',
        message: 'devices change only while the vending machine is idle',
        phase: vending.state.phase,
      });
    }
  }

  /** Connects to the payment API the settings name; none when they name no usable one. */
  async #rebuildApi(): Promise<void> {
    try {
      this.#api = await this.#apiFor(this.#settings, null);
    } catch (error) {
      // A stored URL the client refuses must not keep an unattended kiosk from starting.
      this.#api = null;
      this.#logger.error({ err: error }, 'the stored payment API settings are unusable');
    }
    if (this.#api === null) {
      this.#logger.warn('no payment API configured: set its URL and key in Settings');
    }
  }

  /** A client for `settings`, with `newKey` or the stored key; throws if the URL is unusable. */
  async #apiFor(settings: TerminalSettings, newKey: string | null): Promise<PaymentApi | null> {
    const baseUrl = settings.apiBaseUrl || this.#options.embeddedApiBaseUrl;
    const apiKey =
      newKey ?? (await this.#options.secrets.read('apiKey')) ?? this.#options.embeddedApiKey;
    if (!baseUrl || !apiKey) return null;
    return trackReachability(this.#options.createApi(baseUrl, apiKey), (reachable) => {
      if (reachable === this.#apiReachable) return;
      this.#apiReachable = reachable;
      this.#logger.info({ reachable }, 'payment API reachability changed');
      this.#publish();
    });
  }

  #requireVending(): VendingRunner {
    const vending = this.#devices.vending;
    if (vending === null) {
      throw new CommandRefused({
        code: 'WRONG_PHASE',
        message: 'this kiosk drives no vending machine',
        phase: 'none',
      });
    }
    return vending;
  }

  #requireApi(): PaymentApi {
    if (this.#api === null) {
      throw new CommandRefused({
        code: 'NO_PAYMENT_API',
        message: 'no payment API is configured; set its URL and key in Settings',
      });
    }
    return this.#api;
  }

  #reconcileSoon(): void {
    if (this.#reconciling || this.#api === null) return;
    this.#reconciling = reconcileJournal(
      this.#journal,
      this.#api,
      this.#logger.child({ task: 'reconcile' }),
      this.#sale.activeSaleId,
    )
      .then((summary) => {
        if (summary.finished + summary.deferred + summary.failed > 0) {
          this.#logger.info(summary, 'journal reconciled');
        }
      })
      .catch((error: unknown) => this.#logger.error({ err: error }, 'journal reconcile failed'))
      .finally(() => {
        this.#reconciling = null;
      });
  }

  #rememberMerchantName(name: string): void {
    if (name === this.#settings.merchantName) return;
    this.#settings = { ...this.#settings, merchantName: name };
    this.#options.settings.write(this.#settings).catch((error: unknown) => {
      this.#logger.warn({ err: error }, 'could not store the merchant name');
    });
  }

  #settingsView(): KioskSettings {
    const { apiBaseUrl, publicBaseUrl, configId, terminalId, deviceId, kioskMode, expirySeconds } =
      this.#settings;
    return {
      apiBaseUrl,
      publicBaseUrl,
      apiKeySet: this.#api !== null,
      configId,
      terminalId,
      deviceId,
      kioskMode,
      expirySeconds,
      embeddedCore: apiBaseUrl === '' && this.#options.embeddedApiBaseUrl !== null,
      devices: this.#settings.devices,
    };
  }

  #snapshot(): KioskState {
    return {
      merchantName: this.#settings.merchantName,
      currency: this.#settings.currency,
      terminalId: this.#settings.terminalId,
      apiReachable: this.#apiReachable,
      sale: this.#sale.state,
      refund: this.#refund.state,
      attendant: this.#attendant.state(),
      devices: this.#devices.health(),
      vending: this.#devices.vending?.view(this.#staticUrl()) ?? null,
    };
  }

  /** `<public base>/v/{terminalId}`: the setting's base, else the host's own address. */
  #staticUrl(): string | null {
    if (this.#hostPublicUrl === null) return null;
    const base = this.#settings.publicBaseUrl || this.#hostPublicUrl;
    return `${base.replace(/\/+$/, '')}/v/${encodeURIComponent(this.#settings.terminalId)}`;
  }

  /**
   * One snapshot per turn of the event loop, however many changes it had: a command moves a
   * runner and the attendant lock in the same turn, and each screen needs only the result.
   */
  #publish(): void {
    if (this.#publishQueued) return;
    this.#publishQueued = true;
    queueMicrotask(() => {
      this.#publishQueued = false;
      const state = this.#snapshot();
      for (const listener of this.#listeners) listener(state);
    });
  }
}

/** Writing a secret where the host has no secure storage is a refusal the UI can explain. */
async function refuseWithoutSecureStorage(write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof SecretStorageUnavailableError)) throw error;
    throw new CommandRefused({ code: 'SECRET_STORAGE_UNAVAILABLE', message: error.message });
  }
}

function refuseInput(field: string, message: string): never {
  throw new CommandRefused({ code: 'INVALID_INPUT', field, message });
}
