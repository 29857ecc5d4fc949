import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SseStream } from '../events/sse-stream.ts';
import { errorReplies, IdParams } from '../schemas/common.ts';

/** Streams re-read the request this often, to see changes other cores made to a shared database. */
export const EVENTS_RECHECK_MS = 2_000;

export const paymentRequestEventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { paymentRequests, requestChanges, clock } = app.services;
  const open = new Set<SseStream>();
  // Open streams would hold the server up on close; end them first.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.close();
  });

  app.get(
    '/api/payment-requests/:id/events',
    {
      schema: {
        tags: ['payment-requests'],
        summary:
          'Server-Sent Events: the payment request model, now and on every change (extension)',
        params: IdParams,
        response: { ...errorReplies },
      },
    },
    async (request, reply) => {
      const { principal } = request;
      const { id } = request.params;
      // Permission and existence are checked before the stream opens, so errors are plain replies.
      let current = await paymentRequests.get(principal, id);
      reply.hijack();
      const stream = new SseStream(reply.raw);
      open.add(stream);
      let lastSent = '';
      const sendIfChanged = async () => {
        try {
          current = await paymentRequests.get(principal, id);
        } catch (error) {
          request.log.warn(
            { err: error, paymentRequestId: id },
            'payment request stream could not re-read',
          );
          return;
        }
        const serialised = JSON.stringify(current);
        if (serialised === lastSent) return;
        lastSent = serialised;
        stream.send('payment-request', current);
      };
      await sendIfChanged();
      const unsubscribe = requestChanges.subscribe(id, () => void sendIfChanged());
      const recheck = setInterval(() => void sendIfChanged(), EVENTS_RECHECK_MS).unref();
      // Expiry happens without a write; announce it the moment it is true.
      const untilExpiry = Date.parse(current.expiresAt) - clock.now();
      const expiry =
        current.status === 'new'
          ? setTimeout(() => void sendIfChanged(), Math.max(0, untilExpiry) + 1)
          : undefined;
      stream.onClose(() => {
        unsubscribe();
        clearInterval(recheck);
        clearTimeout(expiry);
        open.delete(stream);
      });
    },
  );
};
