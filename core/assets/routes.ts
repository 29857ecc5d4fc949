import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccountParams } from '../schemas/accounts.ts';
import { Asset, AssetParams } from '../schemas/assets.ts';
import { errorReplies, listOf } from '../schemas/common.ts';

const tags = ['assets'];

export const assetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.assets;

  app.get(
    '/api/assets/:assetId',
    {
      schema: {
        tags,
        summary: 'Get an asset of an account the caller owns',
        params: AssetParams,
        response: { 200: Asset, ...errorReplies },
      },
    },
    (request) => service.get(request.principal, request.params.assetId),
  );

  app.get(
    '/api/accounts/:accountId/assets',
    {
      schema: {
        tags,
        summary: "List an account's assets, with balances",
        params: AccountParams,
        response: { 200: listOf(Asset), ...errorReplies },
      },
    },
    (request) => service.listForAccount(request.principal, request.params.accountId),
  );
};
