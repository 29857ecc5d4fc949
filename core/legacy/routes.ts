// Centrapay's deprecated seed-era routes (`/payments/api/...`), mapped onto the same payment
// requests as the current API: every decision is the payment-request service's; this plugin
// only translates parameters, replies and a few documented status codes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseAssetType } from '../assets/asset-types.ts';
import type { Principal } from '../auth/principal.ts';
import type { Storage } from '../db/storage.ts';
import { requireCurrency } from '../money.ts';
import { findRefundByExternalRef, listActivities } from '../payment-requests/repository.ts';
import { errorReplies } from '../schemas/common.ts';
import type { PayBody, PaymentRequest } from '../schemas/payment-requests.ts';
import { answerLegacyErrors, LegacyError, translating, type Translation } from './errors.ts';
import { acceptLegacyBodies, legacySchemaErrorFormatter, mergeLegacyParameters } from './params.ts';
import {
  findConfigMerchantId,
  findMerchantCountry,
  findTransaction,
  readLegacyFields,
} from './repository.ts';
import { toLegacyPaymentRequest, toLegacyReceipt, toLegacyVoidReply } from './representation.ts';
import {
  LegacyCreateParams,
  LegacyPayParams,
  LegacyPaymentRequest,
  LegacyReceipt,
  LegacyRefundParams,
  LegacyRequestIdParams,
  LegacyVoidReply,
} from './schemas.ts';

export interface LegacyRoutesOptions {
  storage: Storage;
}

const tags = ['legacy'];
const security: Record<string, string[]>[] = [{ apiKey: [] }, { userToken: [] }];
const encodings =
  'Deprecated. Parameters go in the query string, a form (application/x-www-form-urlencoded) or a JSON body.';

/** A request the caller cannot see is, to a legacy client, one that does not exist. */
const REQUEST_LOOKUP: Translation = { FORBIDDEN: { status: 400, code: 'REQUEST_NOT_FOUND' } };
const TRANSACTION_LOOKUP: Translation = {
  FORBIDDEN: { status: 400, code: 'TRANSACTION_NOT_FOUND' },
};
const CREATE_ERRORS: Translation = {
  FORBIDDEN: { status: 403, code: 'MERCHANT_CONFIGURATION_NOT_FOUND' },
  // Centrapay's legacy create knows one patron-code refusal: "doesn't exist or has expired".
  PATRON_CODE_EXPIRED: { status: 403, code: 'PATRON_CODE_INVALID' },
};
const CANCEL_ERRORS: Translation = {
  REQUEST_EXPIRED: { status: 400 },
  REQUEST_PAID: { status: 404 },
};
const REFUND_ERRORS: Translation = {
  ALREADY_REFUNDED: { status: 400 },
  INVALID_AMOUNT: { status: 400 },
  REPEAT_REFERENCE: { status: 400 },
};
const VOID_ERRORS: Translation = {
  ...CANCEL_ERRORS,
  ...REFUND_ERRORS,
  // Past the void window a paid request can no longer be voided (a refund still can).
  VOID_WINDOW_EXCEEDED: { status: 404, code: 'REQUEST_PAID' },
};

/** What pays, in the current API's terms: `authorization` means what the ledger needs. */
function toPayBody(ledger: string, authorization: string): PayBody {
  const type = parseAssetType(ledger);
  if (type?.info.category === 'external')
    return { assetType: ledger, externalPaymentRef: authorization };
  if (type?.info.presentedAtTerminal) return { assetType: ledger, authorization };
  return { assetType: ledger, assetId: authorization };
}

export const legacyRoutes: FastifyPluginAsyncTypebox<LegacyRoutesOptions> = async (
  app,
  { storage },
) => {
  const service = app.services.paymentRequests;
  await acceptLegacyBodies(app);
  app.addHook('preValidation', mergeLegacyParameters);
  app.setErrorHandler(answerLegacyErrors);

  const lookUp = (principal: Principal, requestId: string) =>
    translating(REQUEST_LOOKUP, () => service.get(principal, requestId));

  async function show(request: PaymentRequest) {
    const fields = await readLegacyFields(storage.read, request.id);
    const activities = await listActivities(storage.read, request.id);
    // Activities come newest first; the paying one is the oldest payment or authorization.
    const paying = activities.findLast((a) => a.type === 'payment' || a.type === 'authorization');
    return toLegacyPaymentRequest(request, fields, paying);
  }

  const documented = {
    tags,
    security,
    description: encodings,
  };
  const schemaErrorFormatter = legacySchemaErrorFormatter;

  app.post(
    '/payments/api/requests.create',
    {
      schemaErrorFormatter,
      schema: {
        ...documented,
        summary: 'Create a payment request (legacy)',
        querystring: LegacyCreateParams,
        response: { 200: LegacyPaymentRequest, ...errorReplies },
      },
    },
    async (request) => {
      const params = request.query;
      if ((await findConfigMerchantId(storage.read, params.clientId)) !== params.merchantId) {
        throw new LegacyError(403, 'MERCHANT_CONFIGURATION_NOT_FOUND');
      }
      const fields = {
        description: params.description ?? null,
        notifyUrl: params.notifyUrl ?? null,
      };
      const created = await translating(CREATE_ERRORS, () =>
        service.create(
          request.principal,
          {
            configId: params.clientId,
            value: { amount: params.amount, currency: params.asset },
            ...(params.paymentExpirySeconds !== undefined && {
              expirySeconds: Number(params.paymentExpirySeconds),
            }),
            ...(params.externalReference !== undefined && {
              externalRef: params.externalReference,
            }),
            ...(params.terminalId !== undefined && { terminalId: params.terminalId }),
            ...(params.deviceId !== undefined && { deviceId: params.deviceId }),
            ...(params.patronCode !== undefined && { barcode: params.patronCode }),
          },
          fields,
        ),
      );
      return toLegacyPaymentRequest(created, fields, undefined);
    },
  );

  app.route({
    method: ['GET', 'POST'],
    url: '/payments/api/requests.info',
    schemaErrorFormatter,
    schema: {
      ...documented,
      summary: 'Get a payment request (legacy)',
      querystring: LegacyRequestIdParams,
      response: { 200: LegacyPaymentRequest, ...errorReplies },
    },
    handler: async (request) => show(await lookUp(request.principal, request.query.requestId)),
  });

  app.post(
    '/payments/api/requests.pay',
    {
      schemaErrorFormatter,
      schema: {
        ...documented,
        summary: 'Pay a payment request (legacy)',
        querystring: LegacyPayParams,
        response: { 200: LegacyReceipt, ...errorReplies },
      },
    },
    async (request) => {
      const { requestId, ledger, authorization } = request.query;
      await lookUp(request.principal, requestId);
      const payment = await service.pay(
        request.principal,
        requestId,
        toPayBody(ledger, authorization),
      );
      return toLegacyReceipt(payment, await findMerchantCountry(storage.read, payment.merchantId));
    },
  );

  app.post(
    '/payments/api/requests.cancel',
    {
      schemaErrorFormatter,
      schema: {
        ...documented,
        summary: 'Cancel an unpaid payment request (legacy)',
        querystring: LegacyRequestIdParams,
        response: { 200: LegacyPaymentRequest, ...errorReplies },
      },
    },
    async (request) => {
      const { requestId } = request.query;
      await lookUp(request.principal, requestId);
      // Cancelling never refunds: that is requests.void's (or transactions.refund's) business.
      await translating(CANCEL_ERRORS, () => service.cancel(request.principal, requestId));
      return show(await lookUp(request.principal, requestId));
    },
  );

  app.post(
    '/payments/api/requests.void',
    {
      schemaErrorFormatter,
      schema: {
        ...documented,
        summary: 'Cancel an unpaid payment request, or refund a paid one in full (legacy)',
        querystring: LegacyRequestIdParams,
        response: { 200: LegacyVoidReply, ...errorReplies },
      },
    },
    async (request) => {
      const { requestId } = request.query;
      await lookUp(request.principal, requestId);
      const activity = await translating(VOID_ERRORS, () =>
        service.void(request.principal, requestId, {}),
      );
      return toLegacyVoidReply(activity);
    },
  );

  app.post(
    '/payments/api/transactions.refund',
    {
      schemaErrorFormatter,
      schema: {
        ...documented,
        summary: 'Refund a payment, in full or in part (legacy)',
        description: `${encodings} Without externalReference a payment is refunded once; each new externalReference may refund again, and a repeat with the same amount returns the first refund.`,
        querystring: LegacyRefundParams,
        response: { 200: LegacyReceipt, ...errorReplies },
      },
    },
    async (request) => {
      const { transactionId, amount, externalReference } = request.query;
      const transaction = await findTransaction(storage.read, transactionId);
      if (!transaction || (transaction.type !== 'payment' && transaction.type !== 'authorization'))
        throw new LegacyError(400, 'TRANSACTION_NOT_FOUND');
      const paid = await translating(TRANSACTION_LOOKUP, () =>
        service.get(request.principal, transaction.paymentRequestId),
      );
      // Centrapay: pre-auth requests are refunded through the current API only.
      if (paid.preAuth) throw new LegacyError(403, 'INVALID_PAYMENT_REQUEST_TYPE');
      // Without a reference a payment is refunded once: every such refund shares one reference.
      const externalRef = externalReference ?? `legacy-refund:${transaction.id}`;
      const alreadyRefunded = () => new LegacyError(400, 'ALREADY_REFUNDED');
      if (
        externalReference === undefined &&
        (await findRefundByExternalRef(storage.read, paid.id, externalRef))
      ) {
        throw alreadyRefunded();
      }
      const refund = await translating(REFUND_ERRORS, () =>
        service.refund(request.principal, paid.id, {
          value: { amount, currency: requireCurrency(paid.value.currency) },
          externalRef,
        }),
      ).catch((error: unknown) => {
        // Another reference-less refund got there first.
        if (
          externalReference === undefined &&
          error instanceof LegacyError &&
          error.message === 'REPEAT_REFERENCE'
        )
          throw alreadyRefunded();
        throw error;
      });
      return toLegacyReceipt(refund, await findMerchantCountry(storage.read, refund.merchantId));
    },
  );
};
