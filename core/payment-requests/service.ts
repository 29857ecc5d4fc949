// Payment-request commands: validate, load, decide (lifecycle.ts), persist. Each write is one
// durable transaction, and its reply is built inside it so a repeat can return it verbatim.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { parseAssetType } from '../assets/asset-types.ts';
import { assertCodeAttemptAllowed, recordCodeAttempt } from '../assets/code-attempts.ts';
import {
  addMerchantTakings,
  creditAsset,
  debitAsset,
  drawHold,
  findAssetById,
  placeHold,
  releaseHold,
} from '../assets/repository.ts';
import { presentedCode, resolveTender, type Tender } from '../assets/tenders.ts';
import {
  actsForMerchantAccount,
  mayReadPaymentRequest,
  principalCrn,
  type Principal,
} from '../auth/principal.ts';
import { digest } from '../auth/secrets.ts';
import type { SigningKey } from '../auth/signing-keys.ts';
import type { Clock } from '../clock.ts';
import type { Database, PaymentRequestsTable } from '../db/schema.ts';
import type { Storage } from '../db/storage.ts';
import { ApiError, BadRequestError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { RequestChanges } from '../events/request-changes.ts';
import { once } from '../idempotency/idempotency.ts';
import { enqueueWebhooks } from '../webhooks/outbox.ts';
import { claimPatronCode } from '../patron-codes/service.ts';
import type {
  Activity,
  ConfirmBody,
  CreatePaymentRequestBody,
  LineItem,
  PayBody,
  PaymentRequest,
  RefundBody,
  VoidBody,
} from '../schemas/payment-requests.ts';
import {
  decide,
  payRefusal,
  PRE_AUTH_HOLD_MS,
  type Effect,
  type LifecycleCommand,
} from './lifecycle.ts';
import {
  applyTransition,
  findCreateContext,
  findPaymentRequest,
  findPaymentRequestByShortCode,
  findLapsedPaymentRequestIds,
  findRefundByExternalRef,
  insertActivity,
  insertPaymentRequest,
  isShortCodeInUse,
  listActivities,
  listPaymentRequestsByExternalRef,
  type PaymentRequestRow,
} from './repository.ts';
import { lifecycleState, toActivity, toPaymentRequest } from './representation.ts';
import { checkShortCode, newShortCode, normaliseShortCode } from './short-code.ts';

export const DEFAULT_EXPIRY_SECONDS = 120;
const SHORT_CODE_REUSE_MS = 2 * 365 * 24 * 3600 * 1000;

export interface PaymentRequestServiceOptions {
  storage: Storage;
  clock: Clock;
  /** Told after every committed change to a request, for its event streams. */
  changes: RequestChanges;
  /** Signs legacy notifyUrl tokens, which are written with their event. */
  signingKey: SigningKey;
  /** Base of the consumer pay page; a request's url is `<base>/pay/<id>`. */
  publicBaseUrl: () => string;
}

/** Fields only the legacy routes set, written with the request in its one transaction. */
export interface LegacyRequestFields {
  description: string | null;
  notifyUrl: string | null;
}

export function sumLineItems(items: LineItem[]): number {
  return items.reduce((sum, item) => sum + Number(item.price), 0);
}

export function createPaymentRequestService({
  storage,
  clock,
  publicBaseUrl,
  changes,
  signingKey,
}: PaymentRequestServiceOptions) {
  // Row locks keep concurrent PostgreSQL writers of one request in line; SQLite has one writer.
  const lockRows = storage.engine === 'postgres';
  const show = (row: PaymentRequestRow) => toPaymentRequest(row, clock.now(), publicBaseUrl());

  async function loadForMerchant(
    db: Kysely<Database>,
    principal: Principal,
    id: string,
  ): Promise<PaymentRequestRow> {
    const row = await findPaymentRequest(db, id, lockRows);
    if (!row || !actsForMerchantAccount(principal, row.merchant_account_id))
      throw new ApiError('FORBIDDEN');
    return row;
  }

  /** A write to one request, announced to its streams once durable. */
  async function writeAnnounced<T>(
    id: string,
    work: (trx: Transaction<Database>) => Promise<T>,
  ): Promise<T> {
    const result = await storage.write(work);
    changes.publish(id);
    return result;
  }

  async function uniqueShortCode(db: Kysely<Database>, now: number): Promise<string> {
    for (;;) {
      const code = newShortCode();
      if (!(await isShortCodeInUse(db, code, now - SHORT_CODE_REUSE_MS))) return code;
    }
  }

  /** Runs a decided command's effects: money moves, the row changes, the activity is written. */
  async function persist(
    trx: Transaction<Database>,
    actor: string,
    row: PaymentRequestRow,
    command: LifecycleCommand,
    details: { tender?: Tender; externalRef?: string },
  ): Promise<Activity | undefined> {
    const decision = decide(lifecycleState(row), command);
    if (!decision.ok) throw new ApiError(decision.code);
    const { state, effects } = decision;
    if (effects.length === 0) return undefined;
    const now = command.at;
    const tender = details.tender;
    const changes = {
      status: state.status,
      paid_amount: state.paidAmount,
      refunded_amount: state.refundedAmount,
      cancellation_reason: state.cancellationReason,
      pre_auth_status: state.preAuthStatus,
      held_amount: state.heldAmount,
      pre_auth_expires_at: state.preAuthExpiresAt,
      updated_at: now,
      ...(tender && {
        paid_asset_type: tender.assetType.type,
        paid_asset_id: tender.asset?.id ?? null,
        payer_account_id: tender.asset?.account_id ?? null,
      }),
    };
    const guard = {
      status: row.status,
      paidAmount: row.paid_amount,
      refundedAmount: row.refunded_amount,
      preAuthStatus: row.pre_auth_status,
    };
    const activityNumber = await applyTransition(trx, row.id, guard, changes);
    // Unreachable while reads lock (PostgreSQL) or writes are serial (SQLite); kept as the last guard.
    if (activityNumber === undefined)
      throw new ApiError('FORBIDDEN', { reason: 'CONCURRENT_UPDATE' });
    const paidAssetType =
      tender?.assetType ?? (row.paid_asset_type ? parseAssetType(row.paid_asset_type) : undefined);
    const payerAssetId = tender?.asset?.id ?? row.paid_asset_id;
    // The row as it now stands, without reading it back.
    const updated: PaymentRequestRow = { ...row, ...changes, activity_count: activityNumber };
    let activity: Activity | undefined;
    for (const effect of effects) activity = (await applyEffect(effect)) ?? activity;
    return activity;

    async function applyEffect(effect: Effect): Promise<Activity | undefined> {
      switch (effect.type) {
        case 'debit-payer': {
          if (tender?.asset && !(await debitAsset(trx, tender.asset, effect.amount, now))) {
            throw new ApiError('INSUFFICIENT_ASSET_VALUE');
          }
          if (paidAssetType?.info.storedValue)
            await addMerchantTakings(trx, row.merchant_id, row.currency, effect.amount);
          return undefined;
        }
        case 'credit-payer': {
          const asset = row.paid_asset_id ? await findAssetById(trx, row.paid_asset_id) : undefined;
          if (asset) await creditAsset(trx, asset, effect.amount, now);
          if (paidAssetType?.info.storedValue)
            await addMerchantTakings(trx, row.merchant_id, row.currency, -effect.amount);
          return undefined;
        }
        case 'place-hold': {
          if (!payerAssetId || !(await placeHold(trx, payerAssetId, effect.amount, now))) {
            throw new ApiError('INSUFFICIENT_ASSET_VALUE');
          }
          return undefined;
        }
        case 'draw-hold': {
          if (!payerAssetId || !(await drawHold(trx, payerAssetId, effect.amount, now))) {
            throw new ApiError('INVALID_AMOUNT');
          }
          await addMerchantTakings(trx, row.merchant_id, row.currency, effect.amount);
          return undefined;
        }
        case 'release-hold': {
          if (payerAssetId) await releaseHold(trx, payerAssetId, effect.amount, now);
          return undefined;
        }
        case 'record-activity': {
          const activity = {
            id: newId(),
            payment_request_id: row.id,
            activity_number: activityNumber!,
            type: effect.activity,
            amount: effect.amount,
            currency: row.currency,
            asset_type: ['cancellation', 'expiry'].includes(effect.activity)
              ? null
              : (paidAssetType?.type ?? null),
            asset_id: payerAssetId,
            external_ref: details.externalRef ?? null,
            created_at: now,
            created_by: actor,
          };
          await insertActivity(trx, activity);
          const shown = toActivity(activity, updated);
          await enqueueWebhooks(trx, signingKey, updated, shown, effect.activity, now);
          return shown;
        }
      }
    }
  }

  /**
   * A merchant's command on one request (void, cancel, confirm, release), once per
   * idempotency key, in one durable transaction.
   */
  async function merchantCommand(
    principal: Principal,
    id: string,
    name: string,
    request: { idempotencyKey?: string },
    command: (now: number) => LifecycleCommand,
  ): Promise<Activity> {
    const now = clock.now();
    const call = {
      scope: `${principalCrn(principal)}:${name}:${id}`,
      key: request.idempotencyKey,
      request,
    };
    return writeAnnounced(id, (trx) =>
      once(trx, call, now, async () => {
        const row = await loadForMerchant(trx, principal, id);
        const activity = await persist(trx, principalCrn(principal), row, command(now), {});
        if (activity) return activity;
        // Nothing left to do (a repeated cancellation): answer with the activity that did it.
        const previous = (await listActivities(trx, id)).find(
          (a) => a.type === 'cancellation' || a.type === 'refund',
        );
        return toActivity(previous!, row);
      }),
    );
  }

  return {
    async create(
      principal: Principal,
      body: CreatePaymentRequestBody,
      legacy: LegacyRequestFields = { description: null, notifyUrl: null },
    ): Promise<PaymentRequest> {
      const lineItems = body.lineItems ?? [];
      const amount = Number(body.value.amount);
      if (lineItems.length > 0 && sumLineItems(lineItems) !== amount) {
        // With partial payment the lines may describe the whole basket instead.
        const basket = body.basketAmount === undefined ? undefined : Number(body.basketAmount);
        if (!(body.partialAllowed && sumLineItems(lineItems) === basket))
          throw new ApiError('LINE_ITEMS_SUM_CHECK_FAILED');
      }
      const now = clock.now();
      const row = await storage.write((trx) =>
        once(
          trx,
          { scope: `${principalCrn(principal)}:create`, key: body.idempotencyKey, request: body },
          now,
          async () => {
            const shortCode = newShortCode();
            // A first short code is checked here, saving a round trip; a taken one is redrawn.
            const config = await findCreateContext.executeTakeFirst(trx, {
              configId: body.configId,
              shortCode,
              since: now - SHORT_CODE_REUSE_MS,
            });
            if (!config || !actsForMerchantAccount(principal, config.account_id))
              throw new ApiError('FORBIDDEN');
            const liveness = config.test === 1 ? 'test' : 'main';
            const accepted = (JSON.parse(config.payment_options) as { type: string }[])
              .map((option) => parseAssetType(option.type))
              .filter(
                (type) =>
                  type !== undefined &&
                  type.liveness === liveness &&
                  (!body.preAuth || type.info.category === 'wallet'),
              );
            if (accepted.length === 0) throw new ApiError('NO_AVAILABLE_PAYMENT_OPTIONS');
            const expirySeconds = body.expirySeconds ?? DEFAULT_EXPIRY_SECONDS;
            const id = newId();
            const patronCodeId =
              body.barcode === undefined ? null : await claimPatronCode(trx, body.barcode, id, now);
            const row: Selectable<PaymentRequestsTable> = {
              id,
              short_code: config.short_code_in_use ? await uniqueShortCode(trx, now) : shortCode,
              merchant_id: config.merchant_id,
              config_id: config.id,
              currency: body.value.currency,
              amount,
              status: 'new',
              liveness,
              expiry_seconds: expirySeconds,
              expires_at: now + expirySeconds * 1000,
              created_at: now,
              updated_at: now,
              line_items: JSON.stringify(lineItems),
              payment_options: JSON.stringify(
                accepted.map((type) => ({ assetType: type!.type, amount: body.value.amount })),
              ),
              external_ref: body.externalRef ?? null,
              invoice_ref: body.invoiceRef ?? null,
              terminal_id: body.terminalId ?? null,
              device_id: body.deviceId ?? null,
              operator_id: body.operatorId ?? null,
              patron_code_id: patronCodeId,
              payer_account_id: null,
              cancellation_reason: null,
              partial_allowed: body.partialAllowed ? 1 : 0,
              basket_amount: body.basketAmount === undefined ? null : Number(body.basketAmount),
              pre_auth: body.preAuth ? 1 : 0,
              pre_auth_status: null,
              pre_auth_expires_at: null,
              held_amount: 0,
              description: legacy.description,
              notify_url: legacy.notifyUrl,
              paid_amount: 0,
              refunded_amount: 0,
              paid_asset_type: null,
              paid_asset_id: null,
              activity_count: 1,
            };
            await insertPaymentRequest(trx, row);
            await insertActivity(trx, {
              id: newId(),
              payment_request_id: id,
              activity_number: 1,
              type: body.preAuth ? 'preAuthRequest' : 'request',
              amount,
              currency: body.value.currency,
              asset_type: null,
              asset_id: null,
              external_ref: null,
              created_at: now,
              created_by: principalCrn(principal),
            });
            return show({
              ...row,
              merchant_name: config.merchant_name,
              merchant_account_id: config.account_id,
              webhook_urls: config.webhook_urls,
            });
          },
        ),
      );
      return row;
    },

    async get(principal: Principal, id: string): Promise<PaymentRequest> {
      const row = await findPaymentRequest(storage.read, id);
      if (!row || !mayReadPaymentRequest(principal, row.merchant_account_id))
        throw new ApiError('FORBIDDEN');
      return show(row);
    },

    async getByShortCode(principal: Principal, input: string): Promise<PaymentRequest> {
      const shortCode = normaliseShortCode(input);
      const check = checkShortCode(shortCode);
      if (check === 'bad-check-character') throw new ApiError('CHECKSUM_FAILED');
      if (check === 'malformed') throw new ApiError('FORBIDDEN');
      const row = await findPaymentRequestByShortCode(storage.read, shortCode);
      if (!row || !mayReadPaymentRequest(principal, row.merchant_account_id))
        throw new ApiError('FORBIDDEN');
      return show(row);
    },

    async listByExternalRef(
      principal: Principal,
      externalRef: string,
      page: { pageKey?: string; limit: number; merchantAccountId?: string },
    ): Promise<{ items: PaymentRequest[]; nextPageKey?: string }> {
      if (principal.kind === 'anon-consumer') throw new ApiError('FORBIDDEN');
      const account = page.merchantAccountId ?? principal.accountId;
      if (!actsForMerchantAccount(principal, account)) throw new ApiError('FORBIDDEN');
      const after = page.pageKey ? decodePageKey(page.pageKey) : undefined;
      const rows = await listPaymentRequestsByExternalRef(
        storage.read,
        account,
        externalRef,
        page.limit + 1,
        after,
      );
      const items = rows.slice(0, page.limit);
      const last = items.at(-1);
      return {
        items: items.map(show),
        ...(rows.length > page.limit &&
          last && { nextPageKey: encodePageKey({ createdAt: last.created_at, id: last.id }) }),
      };
    },

    async activities(principal: Principal, id: string): Promise<{ items: Activity[] }> {
      const row = await findPaymentRequest(storage.read, id);
      if (!row || !actsForMerchantAccount(principal, row.merchant_account_id))
        throw new ApiError('FORBIDDEN');
      const activities = await listActivities(storage.read, id);
      return { items: activities.map((activity) => toActivity(activity, row)) };
    },

    async pay(principal: Principal, id: string, body: PayBody): Promise<Activity> {
      const now = clock.now();
      const code = presentedCode(body);
      const codeAttempt =
        code &&
        parseAssetType(body.assetType)?.info.presentedAtTerminal &&
        principal.kind === 'api-key'
          ? { terminal: `${principal.accountId}:${principal.keyName}`, codeHash: digest(code.code) }
          : undefined;
      if (codeAttempt)
        await assertCodeAttemptAllowed(
          storage.read,
          codeAttempt.terminal,
          codeAttempt.codeHash,
          now,
        );
      try {
        return await writeAnnounced(id, (trx) =>
          once(
            trx,
            {
              scope: `${principalCrn(principal)}:pay:${id}`,
              key: body.idempotencyKey,
              request: body,
            },
            now,
            async () => {
              const row = await findPaymentRequest(trx, id, lockRows);
              if (!row || !mayReadPaymentRequest(principal, row.merchant_account_id))
                throw new ApiError('FORBIDDEN');
              // An expired or settled request says so, whatever was offered to pay it.
              const refusal = payRefusal(lifecycleState(row), now);
              if (refusal) throw new ApiError(refusal);
              const tender = await resolveTender(
                trx,
                principal,
                {
                  amount: row.amount,
                  currency: row.currency,
                  partialAllowed: row.partial_allowed === 1,
                  lineItems: JSON.parse(row.line_items) as LineItem[],
                  merchantAccountId: row.merchant_account_id,
                  acceptedAssetTypes: (
                    JSON.parse(row.payment_options) as { assetType: string }[]
                  ).map((o) => o.assetType),
                },
                body,
                now,
              );
              const activity = await persist(
                trx,
                principalCrn(principal),
                row,
                { type: 'pay', amount: tender.amount, at: now, holdUntil: now + PRE_AUTH_HOLD_MS },
                { tender },
              );
              if (codeAttempt)
                await recordCodeAttempt(trx, { ...codeAttempt, succeeded: true }, now);
              return activity!;
            },
          ),
        );
      } catch (error) {
        // A wrong or unknown code counts toward the lock-out; its own write outlives the failed payment.
        if (codeAttempt && error instanceof ApiError && error.code === 'ASSET_REDEMPTION_DENIED') {
          await storage.write((trx) =>
            recordCodeAttempt(trx, { ...codeAttempt, succeeded: false }, now),
          );
        }
        throw error;
      }
    },

    /** Cancels an unpaid request, or refunds a paid one in full within 24 hours. */
    void(principal: Principal, id: string, body: VoidBody): Promise<Activity> {
      return merchantCommand(principal, id, 'void', body, (at) => ({ type: 'void', at }));
    },

    /** Cancels an unpaid request; a paid one is REQUEST_PAID, decided in the same transaction. */
    cancel(principal: Principal, id: string): Promise<Activity> {
      return merchantCommand(principal, id, 'cancel', {}, (at) => ({ type: 'cancel', at }));
    },

    async refund(principal: Principal, id: string, body: RefundBody): Promise<Activity> {
      const amount = Number(body.value.amount);
      if (body.lineItems && body.lineItems.length > 0 && sumLineItems(body.lineItems) !== amount) {
        throw new ApiError('LINE_ITEMS_SUM_CHECK_FAILED');
      }
      const now = clock.now();
      return writeAnnounced(id, async (trx) => {
        const row = await loadForMerchant(trx, principal, id);
        const previous = await findRefundByExternalRef(trx, id, body.externalRef);
        if (previous) {
          if (previous.amount !== amount) throw new ApiError('REPEAT_REFERENCE');
          return toActivity(previous, row);
        }
        if (body.value.currency !== row.currency)
          throw new ApiError('INVALID_AMOUNT', { reason: 'CURRENCY_MISMATCH' });
        const paidWith = row.paid_asset_id
          ? await findAssetById(trx, row.paid_asset_id)
          : undefined;
        // Tokens and fixed-amount vouchers are whole things: they come back whole or not at all.
        const partialRefundAllowed = !(
          paidWith &&
          (paidWith.category === 'token' || paidWith.fixed_amount !== null)
        );
        const command = { type: 'refund', amount, at: now, partialRefundAllowed } as const;
        return (await persist(trx, principalCrn(principal), row, command, {
          externalRef: body.externalRef,
        }))!;
      });
    },

    /** Draws on a pre-auth hold: by default the sum of the line items confirmed. */
    async confirm(principal: Principal, id: string, body: ConfirmBody): Promise<Activity> {
      const amount =
        body.value === undefined ? sumLineItems(body.lineItems) : Number(body.value.amount);
      if (body.value !== undefined && sumLineItems(body.lineItems) !== amount) {
        throw new ApiError('LINE_ITEMS_SUM_CHECK_FAILED');
      }
      return merchantCommand(principal, id, 'confirm', body, (at) => ({
        type: 'confirm',
        amount,
        at,
      }));
    },

    /** Returns what a pre-auth still holds; before authorization it cancels the request. */
    release(principal: Principal, id: string, body: VoidBody): Promise<Activity> {
      return merchantCommand(principal, id, 'release', body, (at) => ({ type: 'release', at }));
    },

    /**
     * Writes down what time has already decided (requests past expiresAt, holds past
     * preAuthExpiresAt), so their activities exist and their holds free up. Readers never wait
     * for this: they see the effective state. Returns how many requests it settled.
     */
    async recordLapses(limit = 100): Promise<number> {
      const now = clock.now();
      const due = await findLapsedPaymentRequestIds(storage.read, now, limit);
      for (const id of due) {
        await writeAnnounced(id, async (trx) => {
          const row = await findPaymentRequest(trx, id, lockRows);
          if (row) await persist(trx, SYSTEM_ACTOR, row, { type: 'lapse', at: now }, {});
        });
      }
      return due.length;
    },
  };
}

/** Who `createdBy` names when the core itself acts (expiry, a lapsed hold). */
const SYSTEM_ACTOR = 'crn::system:core';

export type PaymentRequestService = ReturnType<typeof createPaymentRequestService>;

function encodePageKey(cursor: { createdAt: number; id: string }): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodePageKey(pageKey: string): { createdAt: number; id: string } {
  try {
    const cursor = JSON.parse(Buffer.from(pageKey, 'base64url').toString()) as {
      createdAt: unknown;
      id: unknown;
    };
    if (typeof cursor.createdAt === 'number' && typeof cursor.id === 'string')
      return { createdAt: cursor.createdAt, id: cursor.id };
  } catch {
    // falls through to the 400 below
  }
  throw new BadRequestError('querystring/pageKey is not a page key this API issued');
}
