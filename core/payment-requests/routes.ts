import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorReplies, IdParams, listOf } from '../schemas/common.ts';
import {
  Activity,
  ConfirmBody,
  CreatePaymentRequestBody,
  ExternalRefParams,
  PageQuery,
  PayBody,
  PaymentRequest,
  RefundBody,
  ShortCodeParams,
  VoidBody,
} from '../schemas/payment-requests.ts';

const tags = ['payment-requests'];

/** Centrapay's void and release take no body; ours may carry an idempotencyKey. */
async function allowEmptyBody(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}
const security: Record<string, string[]>[] = [{ apiKey: [] }, { userToken: [] }];

export const paymentRequestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.paymentRequests;

  app.post(
    '/api/payment-requests',
    {
      schema: {
        tags,
        security,
        summary: 'Create a payment request',
        body: CreatePaymentRequestBody,
        response: { 200: PaymentRequest, ...errorReplies },
      },
    },
    (request) => service.create(request.principal, request.body),
  );

  app.get(
    '/api/payment-requests/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a payment request',
        params: IdParams,
        response: { 200: PaymentRequest, ...errorReplies },
      },
    },
    (request) => service.get(request.principal, request.params.id),
  );

  app.get(
    '/api/payment-requests/short-code/:shortCode',
    {
      schema: {
        tags,
        security,
        summary: 'Get the newest payment request with a short code',
        params: ShortCodeParams,
        response: { 200: PaymentRequest, ...errorReplies },
      },
    },
    (request) => service.getByShortCode(request.principal, request.params.shortCode),
  );

  app.get(
    '/api/payment-requests/external-ref/:externalRef',
    {
      schema: {
        tags,
        security,
        summary: "List the caller's payment requests with an external reference, newest first",
        params: ExternalRefParams,
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({ merchantAccountId: Type.Optional(Type.String({ maxLength: 64 })) }),
        ]),
        response: { 200: listOf(PaymentRequest), ...errorReplies },
      },
    },
    (request) =>
      service.listByExternalRef(request.principal, request.params.externalRef, {
        limit: request.query.paginationLimit ?? 25,
        ...(request.query.pageKey !== undefined && { pageKey: request.query.pageKey }),
        ...(request.query.merchantAccountId !== undefined && {
          merchantAccountId: request.query.merchantAccountId,
        }),
      }),
  );

  app.get(
    '/api/payment-requests/:id/activities',
    {
      schema: {
        tags,
        security,
        summary: 'List the activities of a payment request, newest first',
        params: IdParams,
        response: { 200: listOf(Activity), ...errorReplies },
      },
    },
    (request) => service.activities(request.principal, request.params.id),
  );

  app.post(
    '/api/payment-requests/:id/pay',
    {
      schema: {
        tags,
        security,
        summary: 'Pay a payment request',
        params: IdParams,
        body: PayBody,
        response: { 200: Activity, ...errorReplies },
      },
    },
    (request) => service.pay(request.principal, request.params.id, request.body),
  );

  app.post(
    '/api/payment-requests/:id/void',
    {
      schema: {
        tags,
        security,
        summary: 'Cancel an unpaid payment request, or refund a paid one in full within 24 hours',
        params: IdParams,
        body: VoidBody,
        response: { 200: Activity, ...errorReplies },
      },
      preValidation: allowEmptyBody,
    },
    (request) => service.void(request.principal, request.params.id, request.body),
  );

  app.post(
    '/api/payment-requests/:id/confirm',
    {
      schema: {
        tags,
        security,
        summary:
          'Charge part or all of a pre-auth hold (several confirmations, never above the hold)',
        params: IdParams,
        body: ConfirmBody,
        response: { 200: Activity, ...errorReplies },
      },
    },
    (request) => service.confirm(request.principal, request.params.id, request.body),
  );

  app.post(
    '/api/payment-requests/:id/release',
    {
      schema: {
        tags,
        security,
        summary: 'Return what a pre-auth still holds; before authorization, cancel the request',
        params: IdParams,
        body: VoidBody,
        response: { 200: Activity, ...errorReplies },
      },
      preValidation: allowEmptyBody,
    },
    (request) => service.release(request.principal, request.params.id, request.body),
  );

  app.post(
    '/api/payment-requests/:id/refund',
    {
      schema: {
        tags,
        security,
        summary: 'Refund a paid payment request, in full or in part',
        params: IdParams,
        body: RefundBody,
        response: { 200: Activity, ...errorReplies },
      },
    },
    (request) => service.refund(request.principal, request.params.id, request.body),
  );
};
