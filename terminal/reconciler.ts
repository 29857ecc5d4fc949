// Finishes journal entries the kiosk left open: at start-up (after a crash or power loss) and
// periodically (voids that could not reach the payment API). A paid request is recorded as
// paid; an open one is voided; one whose void was pending is voided whatever its state, because
// the kiosk already told the consumer it was cancelled.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { JournalEntry, JournalOutcome } from './contract/replies.ts';
import { OutcomeUnknownError, PaymentApiError } from './api/errors.ts';
import type { PaymentApi } from './api/payment-api.ts';
import type { PaymentRequest } from './api/wire.ts';
import type { Journal } from './journal.ts';

export interface ReconcileSummary {
  finished: number;
  /** Left for the next round: the payment API did not answer. */
  deferred: number;
  /** Refused by the payment API (e.g. past the void window): an attendant must look. */
  failed: number;
}

/** Void refusals that mean nothing is left open: the request expired or was refunded already. */
export function nothingLeftToVoid(error: unknown): boolean {
  return (
    error instanceof PaymentApiError &&
    (error.code === 'REQUEST_EXPIRED' || error.code === 'ALREADY_REFUNDED')
  );
}

export async function reconcileJournal(
  journal: Journal,
  api: PaymentApi,
  logger: Logger,
  /** The sale on screen: its flow is still deciding, so it is not touched. */
  activeSaleId: string | null,
): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { finished: 0, deferred: 0, failed: 0 };
  for (const entry of journal.unfinished()) {
    if (entry.saleId === activeSaleId) continue;
    try {
      const outcome = await finishEntry(entry, api, journal);
      journal.recordOutcome(entry.saleId, outcome);
      logger.info({ saleId: entry.saleId, outcome }, 'journal entry reconciled');
      summary.finished += 1;
    } catch (error) {
      if (error instanceof OutcomeUnknownError) {
        logger.warn({ saleId: entry.saleId }, 'payment API unreachable; will reconcile later');
        summary.deferred += 1;
      } else if (error instanceof PaymentApiError) {
        logger.error(
          { saleId: entry.saleId, code: error.code },
          'journal entry cannot be finished',
        );
        summary.failed += 1;
      } else {
        // A bug or a reply the client could not read: this entry waits for the next round,
        // and the entries after it are still finished.
        logger.error({ saleId: entry.saleId, err: error }, 'journal entry reconcile failed');
        summary.deferred += 1;
      }
    }
  }
  return summary;
}

async function finishEntry(
  entry: JournalEntry,
  api: PaymentApi,
  journal: Journal,
): Promise<JournalOutcome> {
  const requests =
    entry.requestId === null
      ? await api.listByExternalRef(entry.saleId)
      : [await api.getPaymentRequest(entry.requestId)];
  const request = requests[0];
  // No request under the sale's reference: the create never reached the core.
  if (request === undefined) return 'cancelled';
  if (entry.requestId === null) journal.attachRequest(entry.saleId, request.id, request.shortCode);

  if (entry.outcome === 'void-pending') {
    for (const each of requests) await voidIfOpen(api, each, true);
    return 'cancelled';
  }
  switch (request.status) {
    case 'paid':
      return 'paid';
    case 'new':
      await voidIfOpen(api, request, false);
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'cancelled':
      return 'cancelled';
  }
}

async function voidIfOpen(api: PaymentApi, request: PaymentRequest, evenIfPaid: boolean) {
  if (request.status !== 'new' && !(evenIfPaid && request.status === 'paid')) return;
  try {
    await api.void(request.id, randomUUID());
  } catch (error) {
    if (!nothingLeftToVoid(error)) throw error;
  }
}
