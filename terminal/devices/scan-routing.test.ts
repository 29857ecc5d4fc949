import { describe, expect, it } from 'vitest';
import type { PaymentMethod } from '../contract/commands.ts';
import type { KioskState, RefundState, RefundTarget, SaleState } from '../contract/state.ts';
import { routeScan } from './scan-routing.ts';

const PATRON_CODE = '4111111111111111';
const SHORT_CODE = 'CP-C7F-ZS5';

const order = (method: PaymentMethod) => ({
  saleId: 'sale-1',
  method,
  amount: 1250,
  currency: 'NZD' as const,
  lines: [],
});
const request = {
  id: 'pr_1',
  shortCode: 'CP-AAA-AAA',
  url: 'http://core/pay/pr_1',
  expiresAt: '2030-01-01T00:00:00.000Z',
};
const target: RefundTarget = {
  id: 'pr_2',
  shortCode: SHORT_CODE,
  status: 'paid',
  paidAmount: 1000,
  refundedAmount: 0,
  currency: 'NZD',
  createdAt: '2030-01-01T00:00:00.000Z',
};

function state(
  sale: SaleState = { phase: 'idle' },
  refund: RefundState = { phase: 'idle' },
  unlocked = false,
): KioskState {
  return {
    merchantName: 'Demo Café',
    currency: 'NZD',
    terminalId: 'kiosk-1',
    apiReachable: true,
    sale,
    refund,
    attendant: { unlocked, lockedUntil: null },
    devices: [],
    vending: null,
  };
}

const awaitingBarcode: SaleState = { phase: 'awaitingBarcode', order: order('barcode') };
const awaitingPayment = (method: PaymentMethod): SaleState => ({
  phase: 'awaitingPayment',
  order: order(method),
  request,
  connection: 'live',
});

describe('routeScan', () => {
  describe('a sale waiting for the patron barcode', () => {
    it('sends a 16-digit code to sale.submitBarcode', () => {
      expect(routeScan(PATRON_CODE, state(awaitingBarcode))).toEqual({
        command: 'sale.submitBarcode',
        input: { barcode: PATRON_CODE },
      });
    });

    it('trims what the scanner left around the code', () => {
      expect(routeScan(` ${PATRON_CODE}\t`, state(awaitingBarcode))).toMatchObject({
        input: { barcode: PATRON_CODE },
      });
    });

    it('leaves the Luhn check to the command, which names the field', () => {
      expect(routeScan('4111111111111112', state(awaitingBarcode))).toMatchObject({
        command: 'sale.submitBarcode',
      });
    });

    it.each([
      ['15 digits', '411111111111111'],
      ['17 digits', '41111111111111111'],
      ['letters', '4111-1111-1111-1111'],
      ['a product EAN', '9415007012345'],
      ['a short code', SHORT_CODE],
    ])('ignores %s', (_, data) => {
      expect(routeScan(data, state(awaitingBarcode))).toEqual({
        command: null,
        reason: 'unexpected-shape',
      });
    });
  });

  describe('the voucher keypad waiting for a code', () => {
    it('sends digits to sale.submitVoucher', () => {
      expect(routeScan('12345678', state(awaitingPayment('voucher')))).toEqual({
        command: 'sale.submitVoucher',
        input: { code: '12345678' },
      });
    });

    it('ignores a read that is not digits', () => {
      expect(routeScan('ABC123', state(awaitingPayment('voucher')))).toEqual({
        command: null,
        reason: 'unexpected-shape',
      });
    });

    it('ignores digits longer than a voucher code can be', () => {
      expect(routeScan('1'.repeat(65), state(awaitingPayment('voucher')))).toMatchObject({
        command: null,
      });
    });

    it.each(['qr', 'barcode'] as const)('ignores digits while a %s sale awaits payment', (m) => {
      expect(routeScan('12345678', state(awaitingPayment(m)))).toEqual({
        command: null,
        reason: 'nothing-waiting',
      });
    });

    it('ignores digits once the voucher is being redeemed', () => {
      const paying: SaleState = { phase: 'paying', order: order('voucher'), request };
      expect(routeScan('12345678', state(paying))).toMatchObject({ command: null });
    });
  });

  describe('the refund screen, attendant unlocked', () => {
    it.each<RefundState>([
      { phase: 'idle' },
      { phase: 'notFound', shortCode: 'CP-AAA-AAA', reason: 'unknown' },
      { phase: 'found', target },
      { phase: 'refunded', target, amount: 500, reference: 'ref-1' },
    ])('sends a short code to refund.lookup while $phase', (refund) => {
      expect(routeScan(SHORT_CODE, state({ phase: 'idle' }, refund, true))).toEqual({
        command: 'refund.lookup',
        input: { shortCode: SHORT_CODE },
      });
    });

    it('takes a short code read in lower case, in its printed upper case', () => {
      expect(routeScan('cp-c7f-zs5', state({ phase: 'idle' }, { phase: 'idle' }, true))).toEqual({
        command: 'refund.lookup',
        input: { shortCode: SHORT_CODE },
      });
    });

    it.each<RefundState>([
      { phase: 'lookingUp', shortCode: 'CP-AAA-AAA' },
      { phase: 'refunding', target, amount: 500, reference: 'ref-1' },
      { phase: 'refundDeclined', target, amount: 500, reference: 'ref-1', code: 'X' },
    ])('ignores a short code while $phase', (refund) => {
      expect(routeScan(SHORT_CODE, state({ phase: 'idle' }, refund, true))).toEqual({
        command: null,
        reason: 'nothing-waiting',
      });
    });

    it.each(['C7F-ZS5', 'CP-C7FZS5', 'CP-C7F-ZS', 'CP-I7F-ZS5', PATRON_CODE])(
      'ignores %s, not a printed short code',
      (data) => {
        expect(routeScan(data, state({ phase: 'idle' }, { phase: 'idle' }, true))).toEqual({
          command: null,
          reason: 'unexpected-shape',
        });
      },
    );

    it('ignores a short code while the attendant is locked', () => {
      expect(routeScan(SHORT_CODE, state())).toEqual({ command: null, reason: 'nothing-waiting' });
    });

    it('still takes a patron code for a sale while an attendant is unlocked', () => {
      expect(routeScan(PATRON_CODE, state(awaitingBarcode, { phase: 'idle' }, true))).toMatchObject(
        { command: 'sale.submitBarcode' },
      );
    });
  });

  it.each<[string, SaleState]>([
    ['idle', { phase: 'idle' }],
    ['creating', { phase: 'creating', order: order('barcode'), barcode: PATRON_CODE }],
    ['paid', { phase: 'paid', order: order('barcode'), request, paidBy: [] }],
  ])('ignores any read while the sale is %s and no attendant is in', (_, sale) => {
    for (const data of [PATRON_CODE, '12345678', SHORT_CODE]) {
      expect(routeScan(data, state(sale))).toEqual({ command: null, reason: 'nothing-waiting' });
    }
  });
});
