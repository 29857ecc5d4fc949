import { it } from 'vitest';
import { buildTestCore, booksTotal } from '../support/core.ts';
import { engines } from '../support/databases.ts';

it('explore', async () => {
  for (const engine of engines) {
    const core = await buildTestCore(engine);
    const show = async (label: string, o: Parameters<typeof core.call>[0]) => {
      const r = await core.call(o);
      console.log(engine.name, label, r.statusCode, r.body.slice(0, 300));
      return r;
    };
    const cr = await show('create', { method: 'POST', url: '/api/payment-requests', payload: { configId: 'mc_demo', value: { amount: '2500', currency: 'NZD' }, expirySeconds: 3600 } });
    const id = cr.json().id;
    await show('num amount', { method: 'POST', url: '/api/payment-requests', payload: { configId: 'mc_demo', value: { amount: 2500, currency: 'NZD' } } });
    await show('float', { method: 'POST', url: '/api/payment-requests', payload: { configId: 'mc_demo', value: { amount: '25.5', currency: 'NZD' } } });
    await show('missing', { method: 'POST', url: '/api/payment-requests', payload: { value: { amount: '25', currency: 'NZD' } } });
    await show('notjson', { method: 'POST', url: '/api/payment-requests', payload: '{bad', headers: { 'content-type': 'application/json' } });
    await show('null', { method: 'POST', url: '/api/payment-requests', payload: 'null', headers: { 'content-type': 'application/json' } });
    await show('empty', { method: 'POST', url: `/api/payment-requests/${id}/void`, payload: '', headers: { 'content-type': 'application/json' } });
    await show('void null', { method: 'POST', url: `/api/payment-requests/${id}/void`, payload: 'null', headers: { 'content-type': 'application/json' } });
    await show('void str', { method: 'POST', url: `/api/payment-requests/${id}/void`, payload: '"x"', headers: { 'content-type': 'application/json' } });
    await show('proto', { method: 'POST', url: '/api/payment-requests', payload: '{"__proto__":{"a":1}}', headers: { 'content-type': 'application/json' } });
    await show('text/plain', { method: 'POST', url: '/api/payment-requests', payload: 'hi', headers: { 'content-type': 'text/plain' } });
    let deep = '1'; for (let i = 0; i < 20000; i++) deep = `[${deep}]`;
    await show('deep idem', { method: 'POST', url: '/api/payment-requests', payload: `{"configId":"mc_demo","value":{"amount":"1","currency":"NZD"},"idempotencyKey":"k","junk":${deep}}`, headers: { 'content-type': 'application/json' } });
    await show('nul extref', { method: 'POST', url: '/api/payment-requests', payload: { configId: 'mc_demo', value: { amount: '100', currency: 'NZD' }, externalRef: 'a\u0000b' } });
    await show('nul idem', { method: 'POST', url: '/api/payment-requests', payload: { configId: 'mc_demo', value: { amount: '100', currency: 'NZD' }, idempotencyKey: 'a\u0000b' } });
    await show('nul configId', { method: 'POST', url: '/api/payment-requests', payload: { configId: 'a\u0000b', value: { amount: '100', currency: 'NZD' } } });
    await show('pay nul assetId', { method: 'POST', url: `/api/payment-requests/${id}/pay`, payload: { assetType: 'centrapay.nzd.test', assetId: 'a\u0000' }, token: await core.consumerToken() });
    await show('pay nul auth', { method: 'POST', url: `/api/payment-requests/${id}/pay`, payload: { assetType: 'voucher.test', authorization: 'a\u0000' } });
    await show('pay unknown', { method: 'POST', url: `/api/payment-requests/${id}/pay`, payload: { assetType: 'foo.bar' } });
    await show('pay __proto__.test', { method: 'POST', url: `/api/payment-requests/${id}/pay`, payload: { assetType: 'constructor.test' } });
    await show('pay amt', { method: 'POST', url: `/api/payment-requests/${id}/pay`, payload: { assetType: 'external.test', amount: '1e3' } });
    await show('get nul', { method: 'GET', url: `/api/payment-requests/%00` });
    await show('pay nul id', { method: 'POST', url: `/api/payment-requests/a%00b/pay`, payload: { assetType: 'external.test' } });
    await show('refund nul', { method: 'POST', url: `/api/payment-requests/${id}/refund`, payload: { value: { amount: '1', currency: 'NZD' }, externalRef: 'a\u0000' } });
    await show('pay', { method: 'POST', url: `/api/payment-requests/${id}/pay`, payload: { assetType: 'external.test' } });
    await show('refund nul2', { method: 'POST', url: `/api/payment-requests/${id}/refund`, payload: { value: { amount: '1', currency: 'NZD' }, externalRef: 'a\u0000' } });
    await show('refund lone surrogate', { method: 'POST', url: `/api/payment-requests/${id}/refund`, payload: '{"value":{"amount":"1","currency":"NZD"},"externalRef":"\\ud800"}', headers: { 'content-type': 'application/json' } });
    await show('refund lone surrogate2', { method: 'POST', url: `/api/payment-requests/${id}/refund`, payload: '{"value":{"amount":"1","currency":"NZD"},"externalRef":"\\udfff"}', headers: { 'content-type': 'application/json' } });
    await show('refund lineItems big', { method: 'POST', url: `/api/payment-requests/${id}/refund`, payload: { value: { amount: '1', currency: 'NZD' }, externalRef: 'x', lineItems: [{ name: 'a', qty: '1', price: '999999999' }] } });
    console.log(await booksTotal(core.storage));
    await core.close();
  }
});
