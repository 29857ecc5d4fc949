import { EventEmitter } from 'node:events';

/**
 * Tells listeners in this process that a payment request changed. A change written by another
 * core sharing the database is not announced here; streams re-read on a timer for those.
 */
export class RequestChanges {
  readonly #emitter = new EventEmitter().setMaxListeners(0);

  publish(paymentRequestId: string): void {
    this.#emitter.emit(paymentRequestId);
  }

  /** Returns the function that stops listening. */
  subscribe(paymentRequestId: string, listener: () => void): () => void {
    this.#emitter.on(paymentRequestId, listener);
    return () => this.#emitter.off(paymentRequestId, listener);
  }
}
