import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

export const wellKnownRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/.well-known/jwks.json',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Public keys that verify webhook signatures and user access tokens',
        response: {
          200: Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.String())) }),
        },
      },
    },
    async (_request, reply) => {
      void reply.header('Cache-Control', 'public, max-age=300');
      return { keys: [app.services.signingKey.publicJwk as Record<string, string>] };
    },
  );
};
