import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Account,
  AccountParams,
  ApiKey,
  ApiKeyParams,
  CreateAccountBody,
  CreateApiKeyBody,
  CreatedApiKey,
  UpdateApiKeyBody,
} from '../schemas/accounts.ts';
import { errorReplies, listOf } from '../schemas/common.ts';

const tags = ['accounts'];

export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.accounts;

  app.post(
    '/api/accounts',
    {
      schema: {
        tags,
        summary: 'Create an organisation account owned by the signed-in user',
        body: CreateAccountBody,
        response: { 200: Account, ...errorReplies },
      },
    },
    (request) => service.create(request.principal, request.body),
  );

  app.get(
    '/api/accounts/:accountId',
    {
      schema: {
        tags,
        summary: 'Get an account',
        params: AccountParams,
        response: { 200: Account, ...errorReplies },
      },
    },
    (request) => service.get(request.principal, request.params.accountId),
  );

  app.post(
    '/api/accounts/:accountId/api-keys',
    {
      schema: {
        tags,
        summary: 'Create an API key; its secret is in this reply only',
        params: AccountParams,
        body: CreateApiKeyBody,
        response: { 200: CreatedApiKey, ...errorReplies },
      },
    },
    (request) => service.createApiKey(request.principal, request.params.accountId, request.body),
  );

  app.get(
    '/api/accounts/:accountId/api-keys',
    {
      schema: {
        tags,
        summary: "List an account's API keys, without secrets",
        params: AccountParams,
        response: { 200: listOf(ApiKey), ...errorReplies },
      },
    },
    (request) => service.listApiKeys(request.principal, request.params.accountId),
  );

  app.put(
    '/api/accounts/:accountId/api-keys/:name',
    {
      schema: {
        tags,
        summary: 'Enable or disable an API key',
        params: ApiKeyParams,
        body: UpdateApiKeyBody,
        response: { 200: ApiKey, ...errorReplies },
      },
    },
    (request) =>
      service.setApiKeyEnabled(
        request.principal,
        request.params.accountId,
        request.params.name,
        request.body.enabled,
      ),
  );
};
