// The kiosk's flows end to end without a browser: the browser host's socket, the terminal, its
// HTTP client and the real embedded core, as a page would drive them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KioskState, SaleState } from '../../terminal/contract/state.ts';
import { DemoConsumer } from '../support/demo-consumer.ts';
import { connectKioskSocket, type KioskSocket } from '../support/kiosk-socket.ts';
import { startHostedKiosk, type HostedKiosk } from './hosted-kiosk.ts';
import { closeAfterEach } from '../support/close-after-each.ts';

const phase =
  (wanted: SaleState['phase']) =>
  (state: KioskState): boolean =>
    state.sale.phase === wanted;

type Phase<P extends SaleState['phase']> = Extract<SaleState, { phase: P }>;

describe('kiosk flows over the browser host and the embedded core', () => {
  const open = closeAfterEach();

  async function kiosk(options?: Parameters<typeof startHostedKiosk>[0]) {
    const hosted = await startHostedKiosk(options);
    open(hosted);
    const socket = await connectKioskSocket(hosted.host.pageUrl);
    open(socket);
    return { hosted, socket };
  }

  async function voucherSale(socket: KioskSocket, amount: number) {
    expect(await socket.invoke('sale.start', { amount, method: 'voucher' })).toEqual({ ok: true });
    return (await socket.waitForState(phase('awaitingPayment'))).sale as Phase<'awaitingPayment'>;
  }

  async function submitVoucher(socket: KioskSocket, code: string) {
    expect(await socket.invoke('sale.submitVoucher', { code })).toEqual({ ok: true });
    return (await socket.waitForState((state) => ['paid', 'declined'].includes(state.sale.phase)))
      .sale;
  }

  async function requestStatus(hosted: HostedKiosk, id: string): Promise<string> {
    const response = await fetch(`${hosted.stack.embeddedCoreUrl}/api/payment-requests/${id}`, {
      headers: { 'x-api-key': 'demo-terminal-key' },
    });
    return ((await response.json()) as { status: string }).status;
  }

  it('redeems a good voucher code and shows Paid with the voucher', async () => {
    const { socket } = await kiosk();
    const waiting = await voucherSale(socket, 1250);
    expect(waiting.request.shortCode).toMatch(/^CP-/);
    const sale = await submitVoucher(socket, '12345678');
    expect(sale).toMatchObject({
      phase: 'paid',
      paidBy: [{ description: 'Voucher', amount: 1250, currency: 'NZD' }],
    });
  });

  it.each([
    ['an unknown code', '11112222', 1000, 'unknown-code'],
    ['an expired voucher', '99990000', 1000, 'expired-code'],
    ['a balance too small', '12345678', 2500, 'insufficient-balance'],
  ])(
    'declines %s with its reason and lets the consumer try again',
    async (_, code, amount, why) => {
      const { socket, hosted } = await kiosk();
      const waiting = await voucherSale(socket, amount);
      expect(await submitVoucher(socket, code)).toMatchObject({
        phase: 'declined',
        reason: why,
        canRetry: true,
      });
      expect(await socket.invoke('sale.retryCode', {})).toEqual({ ok: true });
      await socket.waitForState(phase('awaitingPayment'));
      expect(await socket.invoke('sale.cancel', {})).toEqual({ ok: true });
      await socket.waitForState(phase('cancelled'));
      expect(await requestStatus(hosted, waiting.request.id)).toBe('cancelled');
    },
  );

  it('locks a code out after repeated failures', async () => {
    const { socket } = await kiosk();
    await voucherSale(socket, 1000);
    const reasons: string[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const sale = await submitVoucher(socket, '55556666');
      reasons.push((sale as Phase<'declined'>).reason);
      await socket.invoke('sale.retryCode', {});
      await socket.waitForState(phase('awaitingPayment'));
    }
    expect(reasons.slice(0, 5)).toEqual(Array(5).fill('unknown-code'));
    expect(reasons[5]).toBe('too-many-tries');
  });

  it('shows Paid once the consumer pays the QR code in their wallet, pushed live', async () => {
    const { socket, hosted } = await kiosk();
    await socket.invoke('sale.start', { amount: 450, method: 'qr' });
    const waiting = (
      await socket.waitForState(
        (state) => state.sale.phase === 'awaitingPayment' && state.sale.connection === 'live',
      )
    ).sale as Phase<'awaitingPayment'>;
    expect(waiting.request.url).toContain(`/pay/${waiting.request.id}`);
    const consumer = await DemoConsumer.signIn(hosted.stack.embeddedCoreUrl!, hosted.dataDir);
    await consumer.payUrl(waiting.request.url);
    const paid = (await socket.waitForState(phase('paid'))).sale;
    expect(paid).toMatchObject({
      paidBy: [{ description: 'Centrapay NZD wallet', amount: 450 }],
    });
  });

  it('voids the request at once when the sale is cancelled on screen', async () => {
    const { socket, hosted } = await kiosk();
    await socket.invoke('sale.start', { amount: 990, method: 'qr' });
    const waiting = (await socket.waitForState(phase('awaitingPayment')))
      .sale as Phase<'awaitingPayment'>;
    await socket.invoke('sale.cancel', {});
    expect((await socket.waitForState(phase('cancelled'))).sale).toMatchObject({
      reason: 'abandoned',
    });
    expect(await requestStatus(hosted, waiting.request.id)).toBe('cancelled');
  });

  it('takes a patron code typed by hand; the wallet it belongs to pays', async () => {
    const { socket, hosted } = await kiosk();
    const consumer = await DemoConsumer.signIn(hosted.stack.embeddedCoreUrl!, hosted.dataDir);
    await socket.invoke('sale.start', { amount: 700, method: 'barcode' });
    await socket.waitForState(phase('awaitingBarcode'));
    const typo = await socket.invoke('sale.submitBarcode', { barcode: '1234567812345678' });
    expect(typo).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'barcode' } });
    const barcode = await consumer.patronBarcode();
    expect(await socket.invoke('sale.submitBarcode', { barcode })).toEqual({ ok: true });
    await socket.waitForState(phase('awaitingPayment'));
    await consumer.payRequest(await consumer.promptedRequestId());
    expect((await socket.waitForState(phase('paid'))).sale).toMatchObject({
      paidBy: [{ description: 'Centrapay NZD wallet', amount: 700 }],
    });
  });

  it('refunds part of a sale by its short code behind the attendant PIN', async () => {
    const { socket } = await kiosk();
    const waiting = await voucherSale(socket, 1500);
    await submitVoucher(socket, '12345678');
    await socket.invoke('sale.dismiss', {});
    expect(await socket.invoke('attendant.unlock', { pin: '1234' })).toEqual({
      ok: true,
      value: { unlocked: true },
    });
    await socket.invoke('refund.lookup', { shortCode: waiting.request.shortCode.toLowerCase() });
    const found = await socket.waitForState((state) => state.refund.phase === 'found');
    expect(found.refund).toMatchObject({ target: { paidAmount: 1500, refundedAmount: 0 } });
    await socket.invoke('refund.submit', { amount: 500 });
    await socket.waitForState((state) => state.refund.phase === 'refunded');
    const journal = await socket.invoke('journal.list', {});
    expect(journal).toMatchObject({
      ok: true,
      value: [{ shortCode: waiting.request.shortCode, outcome: 'paid', refundedAmount: 500 }],
    });
    await socket.invoke('refund.lookup', { shortCode: waiting.request.shortCode });
    const again = await socket.waitForState((state) => state.refund.phase === 'found');
    expect(again.refund).toMatchObject({ target: { refundedAmount: 500 } });
  });

  it('locks the PIN pad after five wrong PINs, even against the right one', async () => {
    const { socket } = await kiosk();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await socket.invoke('attendant.unlock', { pin: '0000' });
    }
    const locked = await socket.invoke('attendant.unlock', { pin: '1234' });
    expect(locked).toMatchObject({ ok: true, value: { unlocked: false } });
    expect(locked.ok && !locked.value.unlocked && locked.value.lockedUntil).toBeTruthy();
  });

  it('reconciles the journal on restart: a request left open is voided', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-restart-'));
    try {
      const first = await startHostedKiosk({ dataDir });
      const socket = await connectKioskSocket(first.host.pageUrl);
      await socket.invoke('sale.start', { amount: 300, method: 'qr' });
      const left = (await socket.waitForState(phase('awaitingPayment')))
        .sale as Phase<'awaitingPayment'>;
      socket.close();
      // The kiosk goes away mid-sale without voiding (power cut, crash).
      await first.close();

      const second = await startHostedKiosk({ dataDir });
      open(second);
      await expect.poll(() => requestStatus(second, left.request.id)).toBe('cancelled');
      const attendant = await connectKioskSocket(second.host.pageUrl);
      open(attendant);
      await attendant.invoke('attendant.unlock', { pin: '1234' });
      const journal = await attendant.invoke('journal.list', {});
      expect(journal).toMatchObject({ ok: true, value: [{ outcome: 'cancelled' }] });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
