// What the kiosk asks of the payment API. One implementation speaks HTTP (client.ts), to the
// embedded core and to a remote one alike; flow tests use in-memory fakes of this interface.
import type {
  Activity,
  CreatePaymentRequestBody,
  ConfirmBody,
  PayBody,
  PaymentRequest,
  RefundBody,
} from './wire.ts';

export interface PaymentApi {
  createPaymentRequest(body: CreatePaymentRequestBody): Promise<PaymentRequest>;
  getPaymentRequest(id: string): Promise<PaymentRequest>;
  getByShortCode(shortCode: string): Promise<PaymentRequest>;
  listByExternalRef(externalRef: string): Promise<PaymentRequest[]>;
  listActivities(id: string): Promise<Activity[]>;
  pay(id: string, body: PayBody): Promise<Activity>;
  /** Answers the cancellation activity (unpaid) or the full refund's activity (paid), as the core does. */
  void(id: string, idempotencyKey: string): Promise<Activity>;
  refund(id: string, body: RefundBody): Promise<Activity>;
  /** Charges part or all of a pre-auth hold. */
  confirm(id: string, body: ConfirmBody): Promise<Activity>;
  /** Returns what a pre-auth still holds; before it is paid, cancels the request. */
  release(id: string, idempotencyKey: string): Promise<Activity>;
  /**
   * Follows one payment request: `onChange` gets its model on every change, pushed by the
   * core's SSE stream, or polled every second where the stream is unavailable. `onMode` says
   * which, and 'reconnecting' while neither answers. Stop with the returned function.
   */
  watch(id: string, handlers: WatchHandlers): () => void;
}

export type WatchMode = 'live' | 'polling' | 'reconnecting';

export interface WatchHandlers {
  onChange(request: PaymentRequest): void;
  onMode(mode: WatchMode): void;
}
