// The kiosk page in Chromium, driven as the e2e fixture drives it (real clicks on the same test
// ids), with the probe's timestamps for the moments the benchmark times.
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import type { HostMessage } from '../../terminal/contract/socket-messages.ts';
import type { Connection } from '../../terminal/contract/state.ts';
import type { DemoConsumer } from '../../tests/support/demo-consumer.ts';
import { decodeQrFrom } from '../../tests/e2e/support/qr.ts';
import { register } from './lifecycle.ts';
import { PROBE_SCRIPT, type ProbeGlobal } from './page-probe.ts';

/**
 * The amount keyed for every sale, in cents: small, so the demo wallet (NZD 500.00) pays for
 * 2,000 sales per host, and short, so keying it costs the loop little.
 */
export const SALE_CENTS = 25;

/** How long any screen may take to appear before the benchmark gives up on the sale. */
const SCREEN_TIMEOUT_MS = 30_000;
/** How long the request id may lag behind the QR code on screen (see #currentRequestId). */
const REQUEST_ID_WAIT_MS = 5_000;

/** This process's clock on the same scale as the probe's: epoch milliseconds, sub-millisecond. */
export function localNow(): number {
  return performance.timeOrigin + performance.now();
}

export async function launchChromium(): Promise<Browser> {
  const launching = chromium.launch({
    executablePath: process.env['KIOSK_CHROMIUM'] ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    // Playwright's own signal handlers close the browser and then exit the process, before
    // the benchmark's cleanup could stop the hosts; that cleanup closes the browser too.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  register(async () => (await launching.catch(() => undefined))?.close());
  return launching;
}

export interface SaleTimings {
  /** Click on `start` → the amount screen on screen: the UI alone, no payment API call. */
  startToAmountMs: number;
  /** Click on `method-qr` → the QR code on screen: creates the payment request. */
  payTapToQrMs: number;
  /** The consumer's pay call returned → the Paid screen on screen (negative: Paid came first). */
  payToPaidMs: number;
  /** How the kiosk was following the request when the consumer paid. */
  connectionAtPay: Connection | undefined;
}

export interface SaleOptions {
  /** Wait this long between the QR code appearing and paying (see kiosk.ts for why). */
  payDelayMs?: number;
}

export interface RendererMemory {
  /** V8 heap in use after a full garbage collection. */
  heapUsedBytes: number;
  eventListeners: number;
  domNodes: number;
}

export class KioskPage {
  #requestId: string | undefined;
  /** How the kiosk follows the request behind the QR code: 'live' (SSE) or 'polling'. */
  #connection: Connection | undefined;
  #qrChecked = false;
  /** Probe time minus local time; see measureClockOffset. */
  #clockOffsetMs = 0;

  private constructor(
    readonly page: Page,
    private readonly cdp: CDPSession,
    /** Closes the page's context, once, whether called here or at cleanup. */
    readonly close: () => Promise<void>,
  ) {
    // The kiosk's state frames name the payment request behind the QR code, so the benchmark
    // need not decode the QR from a screenshot on every sale (it does on the first, to check).
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => this.#onFrame(payload)),
    );
  }

  /**
   * A tab in a context of its own (no cache, no storage shared with other pages), not yet
   * pointing anywhere: the cold-start timing starts the host with the browser already open, as
   * on a kiosk whose browser and host start together.
   */
  static async create(browser: Browser): Promise<KioskPage> {
    const creating = browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const close = register(async () => (await creating.catch(() => undefined))?.close());
    try {
      const context = await creating;
      await context.addInitScript({ content: PROBE_SCRIPT });
      const page = await context.newPage();
      return new KioskPage(page, await context.newCDPSession(page), close);
    } catch (error) {
      await close();
      throw error;
    }
  }

  /** Loads the kiosk page; resolves with the local time at which idle was on screen. */
  async load(pageUrl: string): Promise<number> {
    await this.page.goto(pageUrl);
    const idleAt = await this.#shownAt('screen-idle');
    await this.#measureClockOffset();
    return idleAt - this.#clockOffsetMs;
  }

  static async open(browser: Browser, pageUrl: string): Promise<KioskPage> {
    const kiosk = await KioskPage.create(browser);
    await kiosk.load(pageUrl);
    return kiosk;
  }

  /** One QR sale: keyed, shown, paid by the consumer, Paid shown, Done, back to idle. */
  async sale(consumer: DemoConsumer, options: SaleOptions = {}): Promise<SaleTimings> {
    await this.#arm('screen-amount');
    await this.#click('start');
    const startToAmountMs =
      (await this.#shownAt('screen-amount')) - (await this.#clickedAt('start'));

    for (const digit of String(SALE_CENTS)) await this.#click(`key-${digit}`);
    await this.#click('next');

    this.#requestId = undefined;
    this.#connection = undefined;
    await this.#arm('qr-code');
    await this.#click('method-qr');
    const payTapToQrMs = (await this.#shownAt('qr-code')) - (await this.#clickedAt('method-qr'));
    const id = await this.#currentRequestId();
    if (!this.#qrChecked) await this.#checkQrEncodes(id);

    if (options.payDelayMs) await new Promise((resolve) => setTimeout(resolve, options.payDelayMs));
    const connectionAtPay = this.#connection;
    await this.#arm('screen-paid');
    await consumer.payRequest(id);
    const paidReturnedAt = localNow();
    const payToPaidMs = (await this.#shownAt('screen-paid')) - this.#clockOffsetMs - paidReturnedAt;

    await this.#arm('screen-idle');
    await this.#click('done');
    await this.#shownAt('screen-idle');
    return { startToAmountMs, payTapToQrMs, payToPaidMs, connectionAtPay };
  }

  async rendererMemory(): Promise<RendererMemory> {
    await this.cdp.send('HeapProfiler.collectGarbage');
    const heap = await this.cdp.send('Runtime.getHeapUsage');
    await this.cdp.send('Performance.enable');
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? NaN;
    return {
      heapUsedBytes: heap.usedSize,
      eventListeners: metric('JSEventListeners'),
      domNodes: metric('Nodes'),
    };
  }

  /**
   * The probe's clock and this process's differ by a near-constant offset (each is its
   * process's start time plus a monotonic clock). Estimated NTP-style from the round trip with
   * the smallest delay, whose midpoint is then accurate to half that delay (well under 1 ms).
   */
  async #measureClockOffset(): Promise<void> {
    let best = { roundTripMs: Infinity, offsetMs: 0 };
    for (let sample = 0; sample < 10; sample++) {
      const sentAt = localNow();
      const pageAt = await this.page.evaluate(() =>
        (globalThis as unknown as ProbeGlobal).__kioskBench.now(),
      );
      const receivedAt = localNow();
      const roundTripMs = receivedAt - sentAt;
      if (roundTripMs < best.roundTripMs)
        best = { roundTripMs, offsetMs: pageAt - (sentAt + receivedAt) / 2 };
    }
    this.#clockOffsetMs = best.offsetMs;
  }

  #click(testId: string): Promise<void> {
    return this.page.getByTestId(testId).click();
  }

  #arm(testId: string): Promise<void> {
    return this.page.evaluate(
      (id) => (globalThis as unknown as ProbeGlobal).__kioskBench.arm(id),
      testId,
    );
  }

  /** Fails, naming the screen that is showing instead, if `testId` does not appear in time. */
  async #shownAt(testId: string): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void this.#currentScreen().then((screen) =>
          reject(
            new Error(
              `${testId} not on screen within ${SCREEN_TIMEOUT_MS / 1000} s; showing ${screen}`,
            ),
          ),
        );
      }, SCREEN_TIMEOUT_MS);
    });
    const shown = this.page.evaluate(
      (id) => (globalThis as unknown as ProbeGlobal).__kioskBench.shownAt(id),
      testId,
    );
    try {
      return await Promise.race([shown, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #currentScreen(): Promise<string> {
    const screen = this.page.locator('[data-testid^="screen-"]').first();
    const [id, phase] = await Promise.all([
      screen.getAttribute('data-testid', { timeout: 1000 }),
      screen.getAttribute('data-phase', { timeout: 1000 }),
    ]).catch(() => [null, null]);
    return id === null ? 'no screen' : `${id}${phase ? ` (phase ${phase})` : ''}`;
  }

  async #clickedAt(testId: string): Promise<number> {
    const at = await this.page.evaluate(
      (id) => (globalThis as unknown as ProbeGlobal).__kioskBench.clickedAt(id),
      testId,
    );
    if (at === undefined) throw new Error(`no click on ${testId} was seen in the page`);
    return at;
  }

  #onFrame(payload: string | Buffer): void {
    const text = typeof payload === 'string' ? payload : payload.toString('utf8');
    // Most frames are other states and command replies; parse only the ones that can matter.
    if (!text.includes('"awaitingPayment"')) return;
    const message = JSON.parse(text) as HostMessage;
    if (message.type === 'state' && message.state.sale.phase === 'awaitingPayment') {
      this.#requestId = message.state.sale.request.id;
      this.#connection = message.state.sale.connection;
    }
  }

  /**
   * The id from the state frame that put the QR code on screen. The frame's event reaches this
   * process through the same DevTools connection as the probe's answer, normally before it.
   */
  async #currentRequestId(): Promise<string> {
    const deadline = performance.now() + REQUEST_ID_WAIT_MS;
    while (this.#requestId === undefined) {
      if (performance.now() > deadline) throw new Error('no awaitingPayment state frame was seen');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.#requestId;
  }

  /** Once per page: the QR code a phone would scan leads to the request the frames named. */
  async #checkQrEncodes(id: string): Promise<void> {
    const url = await decodeQrFrom(this.page.getByTestId('qr-code'));
    if (new URL(url).pathname.split('/').pop() !== id)
      throw new Error(`the QR code encodes ${url}, not the request ${id} the kiosk reported`);
    this.#qrChecked = true;
  }
}
