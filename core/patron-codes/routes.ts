import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorReplies } from '../schemas/common.ts';
import { PatronCode } from '../schemas/patron-codes.ts';
import { PaymentRequest } from '../schemas/payment-requests.ts';

export const patronCodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { patronCodes, paymentRequests } = app.services;

  app.post(
    '/api/patron-codes',
    {
      schema: {
        tags: ['patron-codes'],
        summary: 'Issue a one-time barcode to show at a terminal',
        response: { 200: PatronCode, ...errorReplies },
      },
    },
    (request) => patronCodes.create(request.principal),
  );

  app.get(
    '/api/me/patron-code-payment-request',
    {
      schema: {
        tags: ['patron-codes'],
        summary:
          "The newest payment request a terminal made with one of the caller's patron codes; poll it after a scan",
        response: { 200: PaymentRequest, ...errorReplies },
      },
    },
    async (request) =>
      paymentRequests.get(request.principal, await patronCodes.latestRequestId(request.principal)),
  );
};
