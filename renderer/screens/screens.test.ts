// What the sale and refund screens show for a given snapshot, rendered to markup in Node.
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BridgeProvider } from '../bridge/context.tsx';
import type { KioskBridge, KioskState, RefundTarget } from '../contract.ts';
import { en } from '../i18n/en.ts';
import { kioskState, order, request } from '../store/fixtures.ts';
import { StoreProvider } from '../store/context.tsx';
import type { SaleIn } from '../store/screen.ts';
import { createKioskStore } from '../store/store.ts';
import { CancelledScreen } from './CancelledScreen.tsx';
import { ProcessingScreen } from './ProcessingScreen.tsx';
import { RefundScreen } from './RefundScreen.tsx';

const bridge: KioskBridge = {
  invoke: () => Promise.reject(new Error('not in this test')),
  subscribe: () => () => {},
};

function render(screen: ReactElement, state: KioskState = kioskState()): string {
  const live = createKioskStore();
  live.getState().applySnapshot(state);
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
