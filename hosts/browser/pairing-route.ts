// POST /pairing {code} → {token}: how a thin client's page, which has no start link, earns the
// token. Only pages this host served may ask (the Origin check the socket makes), so a page
// elsewhere cannot spend the start's few wrong codes through a browser on the LAN. Neither the
// code nor the token is ever logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import { Type, type Static } from 'typebox';
import {
  PAIRING_CODE_DIGITS,
  PAIRING_PATH,
  type PairingReply,
} from '../../terminal/contract/pairing-messages.ts';
import type { Pairing } from './pairing.ts';

const PairingBody = Type.Object(
  { code: Type.String({ pattern: `^[0-9]{${PAIRING_CODE_DIGITS}}$` }) },
  { additionalProperties: false },
);

/** Wrong codes answer 401, a closed pairing 410 or 429: a status a client can act on alone. */
const STATUS = { 'wrong-code': 401, expired: 410, locked: 429 } as const;

export interface PairingRouteOptions {
  pairing: Pairing;
  /** The start's token, handed to a page that typed the right code. */
  token: string;
  isOwnOrigin(origin: string | undefined): boolean;
}

export function registerPairingRoute<Log extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Log>,
  options: PairingRouteOptions,
): void {
  const { pairing, token, isOwnOrigin } = options;
  app.post<{ Body: Static<typeof PairingBody> }>(
    PAIRING_PATH,
    { schema: { body: PairingBody }, bodyLimit: 1024 },
    async (request, reply) => {
      // Cached, the token would outlive the page that asked for it.
      void reply.header('cache-control', 'no-store');
      if (!isOwnOrigin(request.headers.origin)) {
        request.log.warn({ origin: request.headers.origin }, 'pairing refused: foreign origin');
        return reply.code(403).send({
          ok: false,
          reason: 'foreign-origin',
          attemptsLeft: pairing.attemptsLeft,
        } satisfies PairingReply);
      }
      const result = pairing.attempt(request.body.code);
      if (result.outcome === 'paired') {
        request.log.info({ ip: request.ip }, 'thin client paired');
        return reply.send({ ok: true, token } satisfies PairingReply);
      }
      if (result.outcome === 'wrong-code') {
        request.log.warn(
          { ip: request.ip, attemptsLeft: result.attemptsLeft },
          result.attemptsLeft === 0
            ? 'pairing locked after too many wrong codes: start the host again to pair'
            : 'pairing refused: wrong code',
        );
      }
      return reply.code(STATUS[result.outcome]).send({
        ok: false,
        reason: result.outcome,
        attemptsLeft: result.attemptsLeft,
      } satisfies PairingReply);
    },
  );
}
