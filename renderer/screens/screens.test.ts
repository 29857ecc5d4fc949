// What the sale, refund and vending screens show for a given snapshot, rendered to markup in Node.
import jsQRModule from 'jsqr';
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BridgeProvider } from '../bridge/context.tsx';
import type {
  AttachedDevices,
  DeviceConfig,
  KioskBridge,
  KioskSettings,
  KioskState,
  RefundTarget,
  VendingEndReason,
  VendingView,
} from '../contract.ts';
import { en } from '../i18n/en.ts';
import { kioskState, order, request, vendingView } from '../store/fixtures.ts';
import { StoreProvider } from '../store/context.tsx';
import type { SaleIn } from '../store/screen.ts';
import { createKioskStore } from '../store/store.ts';
import type { KioskStoreState } from '../store/types.ts';
import { CancelledScreen } from './CancelledScreen.tsx';
import { DeviceSettings } from './DeviceSettings.tsx';
import { ProcessingScreen } from './ProcessingScreen.tsx';
import { RefundScreen } from './RefundScreen.tsx';
import { SettingsForm } from './SettingsScreen.tsx';
import { VendingScreen } from './VendingScreen.tsx';

// jsqr is a CommonJS bundle: Node hands over its exports object, whose `default` is the decoder,
// while its typings, read as an ES module here, describe the decoder itself.
const jsQR = (jsQRModule as unknown as { default: typeof jsQRModule }).default;

const bridge: KioskBridge = {
  invoke: () => Promise.reject(new Error('not in this test')),
  subscribe: () => () => {},
};

function render(
  screen: ReactElement,
  state: KioskState = kioskState(),
  prepare: (store: KioskStoreState) => void = () => {},
): string {
  const live = createKioskStore();
  live.getState().applySnapshot(state);
  prepare(live.getState());
  live.getState().setLink('open');
  // A server render reads the store's initial state: make that the state set up here.
  const store = { ...live, getInitialState: live.getState };
  return renderToStaticMarkup(
    createElement(BridgeProvider, {
      bridge,
      children: createElement(StoreProvider, { store, children: screen }),
    }),
  );
}

describe('CancelledScreen', () => {
  const cancelled = (
    reason: SaleIn<'cancelled'>['reason'],
    code?: string,
  ): SaleIn<'cancelled'> => ({
    phase: 'cancelled',
    order,
    request,
    reason,
    ...(code ? { code } : {}),
  });

  it('says no money was taken when the payment was cancelled', () => {
    for (const reason of ['abandoned', 'outcome-unknown', 'rejected'] as const) {
      expect(render(createElement(CancelledScreen, { sale: cancelled(reason) }))).toMatch(
        /no money was taken/i,
      );
    }
  });

  it('says a refused void may have left the payment standing, with its reference and code', () => {
    const html = render(
      createElement(CancelledScreen, { sale: cancelled('void-refused', 'API_KEY_DISABLED') }),
    );
    expect(html).not.toMatch(/no money was taken/i);
    expect(html).not.toContain(en.cancelled.heading);
    expect(html).toContain(en.cancelled.notCancelledHeading);
    expect(html).toContain('could not be cancelled');
    expect(html).toContain('staff');
    expect(html).toContain(request.shortCode);
    expect(html).toContain('API_KEY_DISABLED');
  });
});

describe('ProcessingScreen', () => {
  it('shows the last look at a request', () => {
    const html = render(
      createElement(ProcessingScreen, { sale: { phase: 'checking', order, request } }),
    );
    expect(html).toContain('data-phase="checking"');
    expect(html).toContain(en.processing.checking);
  });

  it('offers Leave only while the payment API keeps failing a void', () => {
    const cancelling = (retrying: boolean): SaleIn<'cancelling'> => ({
      phase: 'cancelling',
      order,
      request,
      reason: 'abandoned',
      retrying,
    });
    expect(render(createElement(ProcessingScreen, { sale: cancelling(false) }))).not.toContain(
      'data-testid="leave"',
    );
    const html = render(createElement(ProcessingScreen, { sale: cancelling(true) }));
    expect(html).toContain('data-testid="leave"');
    expect(html).toContain(en.processing.leaveHint);
  });
});

describe('RefundScreen', () => {
  const target: RefundTarget = {
    id: 'pr_1',
    shortCode: request.shortCode,
    status: 'paid',
    paidAmount: 1500,
    refundedAmount: 0,
    currency: 'NZD',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  const declined = (code: string) =>
    render(
      createElement(RefundScreen),
      kioskState({
        attendant: { unlocked: true, lockedUntil: null },
        refund: { phase: 'refundDeclined', target, amount: 500, reference: 'rf_1', code },
      }),
    );

  it('offers Try again, beside Done, after a refund with an unknown outcome', () => {
    const html = declined('OUTCOME_UNKNOWN');
    expect(html).toContain('data-testid="retry-refund"');
    expect(html).toContain('data-testid="done"');
    expect(html).toContain('data-result="outcome-unknown"');
  });

  it('offers only Done after a refund the payment API declined', () => {
    const html = declined('REFUND_EXCEEDS_PAID');
    expect(html).not.toContain('data-testid="retry-refund"');
    expect(html).toContain('data-testid="done"');
  });
});

describe('VendingScreen', () => {
  const show = (vending: Partial<VendingView>) => {
    const view = vendingView(vending);
    return render(createElement(VendingScreen, { vending: view }), kioskState({ vending: view }));
  };
  /** The text of the element with this test id (tags inside it dropped), or null if none. */
  const textOf = (html: string, testId: string): string | null => {
    const found = new RegExp(`<(\\w+)[^>]*data-testid="${testId}"[^>]*>(.*?)</\\1>`).exec(html);
    return found ? found[2]!.replace(/<[^>]+>/g, '') : null;
  };
  /** The button with this test id, as markup. */
  const button = (html: string, testId: string) =>
    new RegExp(`<button[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0] ?? '';
  const vend = { item: 12, price: 250, result: 'succeeded' } as const;
  const ended = (outcome: Partial<NonNullable<VendingView['outcome']>>): Partial<VendingView> => ({
    phase: 'done',
    request,
    outcome: {
      reason: 'vended',
      charged: 250,
      returned: 150,
      pending: false,
      refused: false,
      ...outcome,
    },
  });

  it('offers the static QR code, the merchant and the most an item costs', () => {
    const html = show({ phase: 'idle' });
    expect(html).toContain('data-testid="screen-vending-idle"');
    expect(decodeQr(html, 'vending-qr')).toBe('http://127.0.0.1:3000/v/term_1');
    expect(html).toContain('Demo Café');
    expect(textOf(html, 'vending-max-price')).toBe('Up to $4.00');
    expect(html).toContain(en.vending.idle.instructions);
    expect(html).toContain('data-testid="attendant-button"');
  });

  it('shows no QR code, but lets staff in, when the machine cannot take payments', () => {
    for (const [vending, sentence] of [
      [{ readerAvailable: false }, 'This machine can’t take payments right now.'],
      [{ staticUrl: null }, 'This machine is not set up to take payments yet.'],
    ] as const) {
      const html = show(vending);
      expect(html).toContain('data-testid="screen-vending-out-of-service"');
      expect(html).not.toContain('<svg');
      expect(html).toContain(sentence);
      expect(html).toContain('data-testid="attendant-button"');
    }
  });

  it('asks to finish paying on the phone, with the time left and Cancel', () => {
    const html = show({ phase: 'awaitingPayment', request });
    expect(html).toContain('data-testid="screen-vending-awaitingPayment"');
    expect(html).toContain(en.vending.awaitingPayment.heading);
    expect(textOf(html, 'amount-display')).toBe('$4.00');
    expect(html).toContain('data-testid="countdown"');
    expect(button(html, 'vending-cancel')).toContain('data-command="vending.cancel"');
  });

  it('shows no countdown before the payment request exists', () => {
    const html = show({ phase: 'awaitingPayment', request: null });
    expect(html).not.toContain('data-testid="countdown"');
    expect(button(html, 'vending-cancel')).toContain('data-command="vending.cancel"');
  });

  it('says the payment arrived while the machine gets ready, with nothing to press', () => {
    const html = show({ phase: 'startingSession', request });
    expect(html).toContain('data-testid="screen-vending-startingSession"');
    expect(html).toContain(en.vending.startingSession.message);
    expect(html).not.toContain('<button');
  });

  it('shows the credit to choose with, and Cancel', () => {
    const html = show({ phase: 'choosing', request, maxPrice: 1999 });
    expect(html).toContain('data-testid="screen-vending-choosing"');
    expect(textOf(html, 'vending-credit')).toBe('Credit $19.99');
    expect(html).toContain(en.vending.choosing.heading);
    expect(button(html, 'vending-cancel')).toContain('data-command="vending.cancel"');
  });

  it('shows the item being vended and its price', () => {
    const html = show({ phase: 'vending', request, vend: { ...vend, price: 5, result: null } });
    expect(html).toContain('data-testid="screen-vending-vending"');
    expect(textOf(html, 'vending-item')).toBe('Vending item 12 — $0.05');
    expect(html).not.toContain('<button');
  });

  it('shows the price being charged and the rest being returned', () => {
    const html = show({ phase: 'settling', request, vend });
    expect(html).toContain('data-testid="screen-vending-settling"');
    expect(html).toContain('class="spinner"');
    expect(textOf(html, 'vending-charged')).toBe('Charging $2.50');
    expect(textOf(html, 'vending-returned')).toBe('Returning $1.50');
  });

  it('returns nothing when the item took the whole credit', () => {
    const html = show({ phase: 'settling', request, vend: { ...vend, price: 400 } });
    expect(textOf(html, 'vending-charged')).toBe('Charging $4.00');
    expect(html).not.toContain('data-testid="vending-returned"');
  });

  it('returns the whole payment when nothing was vended', () => {
    for (const failed of [null, { ...vend, result: 'failed' as const }]) {
      const html = show({ phase: 'settling', request, vend: failed });
      expect(html).toContain(en.vending.settling.returningAll);
      expect(html).not.toContain('data-testid="vending-charged"');
    }
  });

  it('after a vend, shows what was charged and what came back, and Done', () => {
    const html = show(ended({}));
    expect(html).toContain('data-testid="screen-vending-done"');
    expect(html).toContain(en.vending.done.vendedHeading);
    expect(textOf(html, 'vending-charged')).toBe('Charged $2.50');
    expect(textOf(html, 'vending-returned')).toBe('$1.50 returned to you');
    expect(html).toContain(request.shortCode);
    expect(button(html, 'vending-done')).toContain('data-command="vending.dismiss"');
  });

  it('leaves out the returned amount when there is none', () => {
    const html = show(ended({ charged: 400, returned: 0 }));
    expect(textOf(html, 'vending-charged')).toBe('Charged $4.00');
    expect(html).not.toContain('data-testid="vending-returned"');
  });

  it.each(Object.keys(en.vending.done.reasons).filter((r) => r !== 'vended') as VendingEndReason[])(
    'says nothing was charged, and why, after %s',
    (reason) => {
      const html = show(ended({ reason, charged: 0, returned: 400 }));
      expect(html).toContain(en.vending.done.notChargedHeading);
      expect(html).toContain(en.vending.done.reasons[reason]);
      expect(html).not.toContain('data-testid="vending-charged"');
      expect(textOf(html, 'vending-returned')).toBe('$4.00 returned to you');
      expect(button(html, 'vending-done')).toContain('data-command="vending.dismiss"');
    },
  );

  it('says a refund still on its way is coming, and asks for staff when a step was refused', () => {
    const pending = show(ended({ reason: 'vendFailed', charged: 0, returned: 400, pending: true }));
    expect(textOf(pending, 'vending-returned')).toBe('Your refund of $4.00 is on its way.');
    expect(pending).not.toContain(en.vending.done.contactStaff);

    const refused = show(ended({ refused: true }));
    expect(refused).toContain(en.vending.done.contactStaff);
    expect(refused).toContain(request.shortCode);
  });

  it('shows a session done before its outcome arrived as still settling', () => {
    const html = show({ phase: 'done', request, vend, outcome: null });
    expect(html).toContain('data-testid="screen-vending-settling"');
    expect(html).not.toContain('data-testid="vending-done"');
  });
});

/**
 * Reads the QR code rendered as the SVG with this test id, the way a phone would: its dark
 * modules (one `M<x> <y>h<w>v1H<x>z` run each) drawn as pixels, then decoded.
 */
function decodeQr(html: string, testId: string): string | null {
  const svg = new RegExp(`<svg[^>]*data-testid="${testId}".*?</svg>`).exec(html)?.[0] ?? '';
  const modules = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const dark = /<path fill="#000000" d="([^"]*)"/.exec(svg)?.[1];
  if (!dark || !modules) return null;
  const scale = 8;
  const width = modules * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const run of dark.matchAll(/M(\d+)[ ,]+(\d+)\s*h(\d+)v1H\d+z/g)) {
    const [x, y, length] = run.slice(1).map((n) => Number(n) * scale) as [number, number, number];
    for (let row = y; row < y + scale; row++) {
      for (let column = x; column < x + length; column++) {
        const red = (row * width + column) * 4;
        pixels.fill(0, red, red + 3);
      }
    }
  }
  return jsQR(pixels, width, width)?.data ?? null;
}

describe('DeviceSettings', () => {
  const scanner: DeviceConfig = {
    id: 'front',
    name: 'Front scanner',
    driver: 'serial-scanner',
    match: { path: '/dev/ttyUSB0' },
  };
  const hidScanner: DeviceConfig = {
    id: 'back',
    driver: 'hid-pos',
    match: { vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c },
  };
  const adapter: DeviceConfig = {
    id: 'vmc',
    name: 'Drinks machine',
    driver: 'qibixx',
    match: { path: '/dev/ttyACM0' },
    vending: { maxCredit: 450 },
  };
  const show = (draft: DeviceConfig[], attached: AttachedDevices | null = null) =>
    render(createElement(DeviceSettings, { saved: [], onSaved: () => {} }), kioskState(), (s) => {
      s.editDevices(draft);
      if (attached) s.setAttached(attached);
    });
  const rows = (html: string) =>
    [...html.matchAll(/<tr data-testid="configured-device"[^>]*>(.*?)<\/tr>/g)].map((row) =>
      row[1]!.replace(/<button.*?<\/button>/g, '').replace(/<[^>]+>/g, '|'),
    );

  it('lists each configured device by name, kind and where it is found, with Remove', () => {
    const html = show([scanner, hidScanner, adapter]);
    expect(rows(html)).toEqual([
      '|Front scanner||Barcode scanner on a serial port||/dev/ttyUSB0|||',
      '|back||Barcode scanner (USB HID-POS)||USB 0c2e:0b61, usage page 008c|||',
      '|Drinks machine||Vending machine adapter||/dev/ttyACM0, prices up to $4.50|||',
    ]);
    for (const id of ['front', 'back', 'vmc']) {
      expect(html).toContain(`data-testid="remove-device-${id}"`);
    }
    expect(html).toContain('aria-label="Remove Front scanner"');
  });

  it('says when no device is set up', () => {
    expect(show([])).toContain(`data-testid="configured-devices-empty">${en.deviceSettings.empty}`);
  });

  it('asks for Refresh before it offers attached ports', () => {
    const html = show([]);
    expect(html).toContain(en.deviceSettings.notListed);
    expect(html).toContain('data-testid="discover-devices"');
    expect(html).not.toContain('data-testid="attached-0"');
  });

  it('offers the attached serial ports to a new serial scanner, and says which bus failed', () => {
    const html = show([], {
      serialPorts: [
        { path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403', productId: '6001' },
      ],
      hidDevices: [{ path: '/dev/hidraw7', vendorId: 1, productId: 2 }],
      failures: [{ bus: 'hid', message: 'node-hid is unavailable' }],
    });
    expect(html).toMatch(
      /data-testid="attached-0" aria-pressed="false">\/dev\/ttyUSB0 · FTDI · USB 0403:6001</,
    );
    expect(html).not.toContain('/dev/hidraw7');
    expect(html).toContain(en.deviceSettings.listFailed.hid('node-hid is unavailable'));
    expect(html).toContain('data-testid="device-kind-serial-scanner" aria-pressed="true"');
  });

  it('has nothing to offer when nothing of the kind is attached', () => {
    const html = show([], { serialPorts: [], hidDevices: [], failures: [] });
    expect(html).toContain('data-testid="nothing-attached"');
  });
});

describe('SettingsForm', () => {
  const settings: KioskSettings = {
    apiBaseUrl: '',
    publicBaseUrl: 'https://pay.example.com/kiosk-7',
    apiKeySet: false,
    configId: 'mc_demo',
    terminalId: 'kiosk-7',
    deviceId: 'SN-1',
    kioskMode: true,
    expirySeconds: 120,
    embeddedCore: true,
    devices: [],
  };

  it('edits the address phones use to reach the kiosk, explained, as a URL', () => {
    const html = render(createElement(SettingsForm, { settings, onSaved: () => {} }));
    const field = html.match(/<input id="setting-publicBaseUrl"[^>]*>/)?.[0] ?? '';
    expect(field).toContain('type="url"');
    expect(field).toContain('value="https://pay.example.com/kiosk-7"');
    expect(field).toContain('aria-describedby="setting-publicBaseUrl-hint"');
    expect(html).toContain(
      `<label for="setting-publicBaseUrl">${en.settings.publicBaseUrl}</label>`,
    );
    expect(html).toContain(
      `<p id="setting-publicBaseUrl-hint" class="hint">${en.settings.publicBaseUrlHint}</p>`,
    );
  });
});
