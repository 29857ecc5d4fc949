import { afterEach, describe, expect, it } from 'vitest';
import type {
  AttachedDevices,
  CommandFailure,
  DeviceConfig,
  SaleState,
  VendingView,
} from '../contract.ts';
import { idlePlan, PLANS } from '../idle.ts';
import { kioskState, order, request, vendingView, withSale, withVending } from './fixtures.ts';
import { selectScreen, type ScreenId } from './screen.ts';
import { createKioskStore } from './store.ts';

// One store for the file, reset after each test as zustand's testing guide does.
const store = createKioskStore();
const initial = store.getInitialState();
afterEach(() => store.setState(initial, true));

const ui = () => store.getState();

describe('UI slice: keying the amount', () => {
  it('keys digits, 00, deletes and clears', () => {
    ui().beginSale();
    expect(ui().view).toBe('amount');
    ui().keyDigit('1');
    ui().keyDigit('2');
    ui().keyDoubleZero();
    expect(ui().amount).toBe(1200);
    ui().deleteDigit();
    expect(ui().amount).toBe(120);
    ui().clearAmount();
    expect(ui().amount).toBe(0);
  });

  it('moves to the method choice only with an amount', () => {
    ui().beginSale();
    ui().confirmAmount();
    expect(ui().view).toBe('amount');
    ui().keyDigit('5');
    ui().confirmAmount();
    expect(ui().view).toBe('method');
    ui().chooseMethod('voucher');
    expect(ui().method).toBe('voucher');
    ui().backToAmount();
    expect(ui()).toMatchObject({ view: 'amount', method: null, amount: 5 });
  });

  it('counts commands in flight and keeps the last error until the next command', () => {
    const failure: CommandFailure = { code: 'WRONG_PHASE', message: 'busy', phase: 'paying' };
    ui().commandStarted();
    ui().commandStarted();
    expect(ui().inFlight).toBe(2);
    ui().commandAnswered({ kind: 'refused', command: 'sale.start', failure });
    ui().commandAnswered(null);
    expect(ui().inFlight).toBe(0);
    expect(ui().lastError).toEqual({ kind: 'refused', command: 'sale.start', failure });
    ui().commandStarted();
    expect(ui().lastError).toBeNull();
  });

  it('returns to the attract screen with nothing kept', () => {
    ui().beginSale();
    ui().keyDigit('7');
    ui().openAttendant('journal');
    ui().commandAnswered({ kind: 'transport', command: 'journal.list', reason: 'timeout' });
    ui().resetUi();
    expect(ui()).toMatchObject({
      view: 'attract',
      amount: 0,
      method: null,
      attendantPage: null,
      lastError: null,
    });
  });
});

describe('devices slice: the device list edited in Settings', () => {
  const front: DeviceConfig = { id: 'front', driver: 'serial-scanner', match: { path: '/dev/a' } };
  const back: DeviceConfig = { id: 'back', driver: 'hid-pos', match: { vendorId: 1 } };
  const attached: AttachedDevices = {
    serialPorts: [{ path: '/dev/ttyUSB0' }],
    hidDevices: [],
    failures: [],
  };

  it('has nothing to edit until Settings loads the saved list', () => {
    expect(ui()).toMatchObject({ deviceDraft: null, attached: null });
  });

  it('adds and removes devices in the draft, leaving the saved list alone', () => {
    const saved = [front];
    ui().editDevices(saved);
    ui().addDevice(back);
    expect(ui().deviceDraft).toEqual([front, back]);
    ui().removeDevice('front');
    expect(ui().deviceDraft).toEqual([back]);
    expect(saved).toEqual([front]);
  });

  it('keeps the last listing until the saved list is loaded again', () => {
    ui().editDevices([front]);
    ui().setAttached(attached);
    ui().addDevice(back);
    expect(ui().attached).toBe(attached);
    ui().editDevices([front, back]);
    expect(ui()).toMatchObject({ deviceDraft: [front, back], attached: null });
  });
});

describe('kiosk slice', () => {
  it('takes each snapshot whole, and the link status', () => {
    const state = kioskState();
    ui().applySnapshot(state);
    expect(ui().kiosk).toBe(state);
    expect(ui().link).toBe('connecting');
    ui().setLink('open');
    expect(ui().link).toBe('open');
  });

  it('forgets the keyed amount once a sale starts, so its end returns to attract', () => {
    ui().applySnapshot(kioskState());
    ui().beginSale();
    ui().keyDigit('9');
    ui().confirmAmount();
    ui().applySnapshot(withSale({ phase: 'creating', order }));
    expect(ui()).toMatchObject({ view: 'attract', amount: 0 });
    // A later snapshot of the same sale leaves the UI state alone.
    ui().beginSale();
    ui().applySnapshot(withSale({ phase: 'creating', order }));
    expect(ui().view).toBe('amount');
  });
});

describe('selectScreen', () => {
  const awaiting = (method: 'qr' | 'voucher' | 'barcode'): SaleState => ({
    phase: 'awaitingPayment',
    order: { ...order, method },
    request,
    connection: 'live',
  });
  const sales: [SaleState, ScreenId][] = [
    [{ phase: 'awaitingBarcode', order: { ...order, method: 'barcode' } }, 'barcode'],
    [{ phase: 'creating', order }, 'processing'],
    [awaiting('qr'), 'qr'],
    [awaiting('voucher'), 'voucher'],
    [awaiting('barcode'), 'processing'],
    [{ phase: 'paying', order, request }, 'processing'],
    [{ phase: 'checking', order, request }, 'processing'],
    [{ phase: 'cancelling', order, request, reason: 'abandoned', retrying: true }, 'processing'],
    [{ phase: 'paid', order, request, paidBy: [] }, 'paid'],
    [{ phase: 'declined', order, request, reason: 'unknown-code', canRetry: true }, 'declined'],
    [{ phase: 'expired', order, request }, 'expired'],
    [{ phase: 'cancelled', order, request: null, reason: 'rejected', code: 'X' }, 'cancelled'],
  ];

  it('waits for the first snapshot', () => {
    expect(selectScreen(ui())).toBe('connecting');
  });

  it.each(sales)('shows a sale in %j on its screen', (sale, screen) => {
    ui().applySnapshot(withSale(sale));
    expect(selectScreen(ui())).toBe(screen);
  });

  it('puts a sale above any attendant page', () => {
    ui().applySnapshot(
      withSale(awaiting('qr'), { attendant: { unlocked: true, lockedUntil: null } }),
    );
    ui().openAttendant('journal');
    expect(selectScreen(ui())).toBe('qr');
  });

  it('follows the keying screens when no sale is on', () => {
    ui().applySnapshot(kioskState());
    expect(selectScreen(ui())).toBe('idle');
    ui().beginSale();
    expect(selectScreen(ui())).toBe('amount');
    ui().keyDigit('1');
    ui().confirmAmount();
    expect(selectScreen(ui())).toBe('method');
  });

  it('asks for the PIN before any attendant page, then shows it', () => {
    ui().applySnapshot(kioskState());
    ui().openAttendant('settings');
    expect(selectScreen(ui())).toBe('pin');
    ui().applySnapshot(kioskState({ attendant: { unlocked: true, lockedUntil: null } }));
    expect(selectScreen(ui())).toBe('settings');
    ui().openAttendant('pin');
    expect(selectScreen(ui())).toBe('attendant');
  });

  it('keeps a refund under way on screen, even after a reload forgot the page', () => {
    ui().applySnapshot(
      kioskState({
        attendant: { unlocked: true, lockedUntil: null },
        refund: { phase: 'lookingUp', shortCode: 'CP-C7F-ZS5' },
      }),
    );
    expect(selectScreen(ui())).toBe('refund');
  });
});

describe('selectScreen beside a vending machine', () => {
  const vend = { item: 12, price: 250, result: null };
  const outcome: NonNullable<VendingView['outcome']> = {
    reason: 'vended',
    charged: 250,
    returned: 150,
    pending: false,
    refused: false,
  };
  const phases: [Partial<VendingView>, ScreenId][] = [
    [{ phase: 'idle' }, 'vending-idle'],
    [{ phase: 'awaitingPayment', request }, 'vending-awaitingPayment'],
    [{ phase: 'awaitingPayment', request: null }, 'vending-awaitingPayment'],
    [{ phase: 'startingSession', request }, 'vending-startingSession'],
    [{ phase: 'choosing', request }, 'vending-choosing'],
    [{ phase: 'vending', request, vend }, 'vending-vending'],
    [{ phase: 'settling', request, vend: { ...vend, result: 'succeeded' } }, 'vending-settling'],
    [{ phase: 'done', request, vend: { ...vend, result: 'succeeded' }, outcome }, 'vending-done'],
  ];

  it.each(phases)('shows the machine in %j on its screen', (vending, screen) => {
    ui().applySnapshot(withVending(vending));
    expect(selectScreen(ui())).toBe(screen);
  });

  it('is out of service, instead of offering the QR code, when the machine cannot sell', () => {
    ui().applySnapshot(withVending({ readerAvailable: false }));
    expect(selectScreen(ui())).toBe('vending-out-of-service');
    ui().applySnapshot(withVending({ staticUrl: null }));
    expect(selectScreen(ui())).toBe('vending-out-of-service');
  });

  it('keeps a session in the middle of a vend on screen while the reader is lost', () => {
    ui().applySnapshot(withVending({ phase: 'settling', readerAvailable: false, request }));
    expect(selectScreen(ui())).toBe('vending-settling');
  });

  it('shows a session still settling until its outcome arrives', () => {
    ui().applySnapshot(withVending({ phase: 'done', request, outcome: null }));
    expect(selectScreen(ui())).toBe('vending-settling');
  });

  it('puts a sale, and the attendant’s pages, above the machine', () => {
    ui().applySnapshot(
      withSale(
        { phase: 'creating', order },
        { vending: vendingView({ phase: 'choosing', request }) },
      ),
    );
    expect(selectScreen(ui())).toBe('processing');

    ui().applySnapshot(withVending());
    ui().openAttendant('pin');
    expect(selectScreen(ui())).toBe('pin');
  });

  it('returns from the attendant’s pages to the vending screen when the UI resets', () => {
    ui().applySnapshot(withVending());
    ui().openAttendant('devices');
    expect(idlePlan(ui())).toBe(PLANS.returnToAttract);
    ui().resetUi();
    expect(selectScreen(ui())).toBe('vending-idle');
    expect(idlePlan(ui())).toBeNull();
  });
});

describe('idlePlan', () => {
  const unlocked = { attendant: { unlocked: true, lockedUntil: null } };

  it('does nothing at the attract screen or before the first snapshot', () => {
    expect(idlePlan(ui())).toBeNull();
    ui().applySnapshot(kioskState());
    expect(idlePlan(ui())).toBeNull();
  });

  it('returns to attract from the keying screens', () => {
    ui().applySnapshot(kioskState());
    ui().beginSale();
    expect(idlePlan(ui())).toBe(PLANS.returnToAttract);
  });

  it('voids a sale waiting for the consumer at this screen', () => {
    ui().applySnapshot(withSale({ phase: 'awaitingBarcode', order }));
    expect(idlePlan(ui())).toBe(PLANS.cancelSale);
    ui().applySnapshot(
      withSale({
        phase: 'awaitingPayment',
        order: { ...order, method: 'voucher' },
        request,
        connection: 'live',
      }),
    );
    expect(idlePlan(ui())).toBe(PLANS.cancelSale);
    ui().applySnapshot(
      withSale({ phase: 'declined', order, request, reason: 'unknown-code', canRetry: true }),
    );
    expect(idlePlan(ui())).toBe(PLANS.cancelSale);
  });

  it('leaves a wallet payment to its expiry, and the kiosk to its own work', () => {
    ui().applySnapshot(withSale({ phase: 'awaitingPayment', order, request, connection: 'live' }));
    expect(idlePlan(ui())).toBeNull();
    ui().applySnapshot(withSale({ phase: 'paying', order, request }));
    expect(idlePlan(ui())).toBeNull();
    ui().applySnapshot(withSale({ phase: 'checking', order, request }));
    expect(idlePlan(ui())).toBeNull();
    ui().applySnapshot(
      withSale({ phase: 'cancelling', order, request, reason: 'abandoned', retrying: false }),
    );
    expect(idlePlan(ui())).toBeNull();
  });

  it('leaves a void the payment API keeps failing after the long wait, for the journal to finish', () => {
    ui().applySnapshot(
      withSale({ phase: 'cancelling', order, request, reason: 'abandoned', retrying: true }),
    );
    expect(idlePlan(ui())).toBe(PLANS.dismissSaleForStaff);
  });

  it('keeps a refused cancel on screen for staff for the long wait', () => {
    ui().applySnapshot(
      withSale({ phase: 'cancelled', order, request, reason: 'void-refused', code: 'FORBIDDEN' }),
    );
    expect(idlePlan(ui())).toEqual({ after: 'idle', commands: ['sale.dismiss'] });
  });

  it('dismisses result screens after the shorter wait', () => {
    ui().applySnapshot(withSale({ phase: 'paid', order, request, paidBy: [] }));
    expect(idlePlan(ui())).toBe(PLANS.dismissSale);
    ui().applySnapshot(
      withSale({ phase: 'declined', order, request: null, reason: 'declined', canRetry: false }),
    );
    expect(idlePlan(ui())).toEqual({ after: 'result', commands: ['sale.dismiss'] });
  });

  it('leaves a vending session to the kiosk’s own timers until its result is on screen', () => {
    for (const phase of [
      'idle',
      'awaitingPayment',
      'startingSession',
      'choosing',
      'vending',
      'settling',
    ] as const) {
      ui().applySnapshot(withVending({ phase, request }));
      expect(idlePlan(ui())).toBeNull();
    }
  });

  it('dismisses a vending result after the shorter wait, or the long one when staff must look', () => {
    const outcome = { reason: 'vendFailed', charged: 0, returned: 400, pending: false } as const;
    ui().applySnapshot(withVending({ phase: 'done', outcome: { ...outcome, refused: false } }));
    expect(idlePlan(ui())).toEqual({ after: 'result', commands: ['vending.dismiss'] });
    ui().applySnapshot(withVending({ phase: 'done', outcome: { ...outcome, refused: true } }));
    expect(idlePlan(ui())).toEqual({ after: 'idle', commands: ['vending.dismiss'] });
  });

  it('signs the attendant out, closing an open refund first', () => {
    ui().applySnapshot(kioskState(unlocked));
    expect(idlePlan(ui())).toBe(PLANS.lock);
    ui().applySnapshot(
      kioskState({
        ...unlocked,
        refund: { phase: 'notFound', shortCode: 'CP-AAA-AAA', reason: 'unknown' },
      }),
    );
    expect(idlePlan(ui())).toEqual({
      after: 'idle',
      commands: ['refund.dismiss', 'attendant.lock'],
    });
  });
});
