import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../core/patron-codes/barcode.ts';
import { DEMO } from '../../core/seed/demo.ts';
import { buildTestCore, nzd, type TestCore } from '../support/core.ts';
import { engines } from '../support/databases.ts';

describe.each(engines)('patron codes and the barcode flow on $name', (engine) => {
  let core: TestCore;
  beforeEach(async () => {
    core = await buildTestCore(engine);
  });
  afterEach(async () => {
    await core.close();
  });

  const issue = async (token: string) => {
    const reply = await core.call({ method: 'POST', url: '/api/patron-codes', token });
    expect(reply.statusCode, reply.body).toBe(200);
    return reply.json<{ id: string; barcode: string; expiresAt: string; createdAt: string }>();
  };
  const createWithBarcode = (barcode: string) =>
    core.call({
      method: 'POST',
      url: '/api/payment-requests',
      payload: { configId: DEMO.configId, value: nzd(1200), barcode },
    });
  const requestCount = async () =>
    Number(
      (
        await core.storage.read
          .selectFrom('payment_requests')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('a scanned barcode brings the request to the consumer, who pays it', async () => {
    const token = await core.consumerToken();
    const code = await issue(token);
    expect(code.barcode).toMatch(/^[0-9]{16}$/);
    expect(Date.parse(code.expiresAt) - Date.parse(code.createdAt)).toBe(5 * 60 * 1000);

    const created = await createWithBarcode(code.barcode);
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().patronCodeId).toBe(code.id);

    const found = await core.call({
      method: 'GET',
      url: '/api/me/patron-code-payment-request',
      token,
    });
    expect(found.json()).toMatchObject({ id: created.json().id, status: 'new', value: nzd(1200) });
    const paid = await core.call({
      method: 'POST',
      url: `/api/payment-requests/${created.json().id}/pay`,
      token,
      payload: { assetType: 'centrapay.nzd.test', assetId: DEMO.walletId },
    });
    expect(paid.statusCode, paid.body).toBe(200);
  });

  it('refuses a used, unknown, mistyped or expired barcode and makes no request', async () => {
    const token = await core.consumerToken();
    const code = await issue(token);
    expect((await createWithBarcode(code.barcode)).statusCode).toBe(200);
    const before = await requestCount();

    const reused = await createWithBarcode(code.barcode);
    expect(reused.json()).toMatchObject({ statusCode: 403, message: 'PATRON_CODE_INVALID' });

    const body = code.barcode.slice(0, 15);
    const wrongDigit = body + String((Number(luhnCheckDigit(body)) + 1) % 10);
    expect((await createWithBarcode(wrongDigit)).json()).toMatchObject({
      statusCode: 400,
      message: 'CHECKSUM_FAILED',
    });

    const unknownBody = '987600' + '000000001';
    expect(
      (await createWithBarcode(unknownBody + luhnCheckDigit(unknownBody))).json().message,
    ).toBe('PATRON_CODE_INVALID');

    const old = await issue(token);
    core.clock.advance(5 * 60 * 1000);
    expect((await createWithBarcode(old.barcode)).json().message).toBe('PATRON_CODE_EXPIRED');
    expect(await requestCount()).toBe(before);
  });

  it('issues codes to signed-in consumers only', async () => {
    expect((await core.call({ method: 'POST', url: '/api/patron-codes' })).statusCode).toBe(403);
    expect(
      (await core.call({ method: 'POST', url: '/api/patron-codes', key: null })).statusCode,
    ).toBe(401);
  });
});
