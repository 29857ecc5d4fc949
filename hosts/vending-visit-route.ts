// The vending machine's static URL (`/v/{terminalId}`, spec/terminal.md flow 3): the fixed QR
// code on the machine opens it on the consumer's phone. While the machine is free it creates a
// payment request for the machine's maximum price and sends the phone on to its pay page;
// otherwise it says, in a page a phone shows well, why not now.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { VisitAnswer } from '../terminal/flows/vending-flow.ts';
import type { Kiosk } from '../terminal/kiosk.ts';

/** Whoever finds the machine busy may try again soon: a session lasts about a minute. */
const BUSY_RETRY_AFTER_SECONDS = 30;

const REFUSALS: Record<Exclude<VisitAnswer['kind'], 'pay'>, { title: string; text: string }> = {
  busy: {
    title: 'Machine in use',
    text: 'Someone is buying from this machine right now. Please try again in a minute.',
  },
  outOfService: {
    title: 'Out of service',
    text: 'This machine cannot take payments right now. Sorry!',
  },
  unavailable: {
    title: 'Payment not started',
    text: 'We could not start your payment. Nothing was charged. Please try again.',
  },
};

export function registerVendingVisitRoute<Log extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Log>,
  kiosk: Kiosk,
): void {
  // GET only: a HEAD from a link preview must not make a payment request.
  app.get<{ Params: { terminalId: string } }>(
    '/v/:terminalId',
    { exposeHeadRoute: false },
    async (request, reply) => {
      const visit = kiosk.visitVendingMachine(request.params.terminalId);
      if (visit === null) {
        return reply
          .code(404)
          .type('text/html; charset=utf-8')
          .send(page('Not found', 'There is no vending machine at this address.'));
      }
      const answer = await visit;
      // Each visit makes (or joins) a payment request: never from a cache.
      reply.header('cache-control', 'no-store');
      if (answer.kind === 'pay') return reply.redirect(answer.url, 303);
      if (answer.kind === 'busy') reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
      const { title, text } = REFUSALS[answer.kind];
      return reply.code(503).type('text/html; charset=utf-8').send(page(title, text));
    },
  );
}

/** A page for a phone; the texts are ours, so nothing needs escaping. */
function page(title: string, text: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{font:1.25rem/1.5 system-ui,sans-serif;margin:2rem;color:#111;background:#fff}</style>
</head><body><h1>${title}</h1><p>${text}</p></body></html>`;
}
