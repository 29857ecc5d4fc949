// Wraps a PaymentApi so the kiosk can show whether the payment API is answering: any answer
// (even a refusal) means reachable, an unknown outcome or a watch that lost both stream and
// polling means not.
import { OutcomeUnknownError } from './errors.ts';
import type { PaymentApi } from './payment-api.ts';

export function trackReachability(
  api: PaymentApi,
  onReachable: (reachable: boolean) => void,
): PaymentApi {
  async function tracked<T>(call: Promise<T>): Promise<T> {
    try {
      const result = await call;
      onReachable(true);
      return result;
    } catch (error) {
      onReachable(!(error instanceof OutcomeUnknownError));
      throw error;
    }
  }
  return {
    createPaymentRequest: (body) => tracked(api.createPaymentRequest(body)),
    getPaymentRequest: (id) => tracked(api.getPaymentRequest(id)),
    getByShortCode: (shortCode) => tracked(api.getByShortCode(shortCode)),
    listByExternalRef: (externalRef) => tracked(api.listByExternalRef(externalRef)),
    listActivities: (id) => tracked(api.listActivities(id)),
    pay: (id, body) => tracked(api.pay(id, body)),
    void: (id, key) => tracked(api.void(id, key)),
    refund: (id, body) => tracked(api.refund(id, body)),
    confirm: (id, body) => tracked(api.confirm(id, body)),
    release: (id, key) => tracked(api.release(id, key)),
    watch: (id, handlers) =>
      api.watch(id, {
        onChange: handlers.onChange,
        onMode: (mode) => {
          onReachable(mode !== 'reconnecting');
          handlers.onMode(mode);
        },
      }),
  };
}
