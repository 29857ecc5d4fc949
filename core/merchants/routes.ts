import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorReplies, listOf } from '../schemas/common.ts';
import {
  CreateMerchantBody,
  Merchant,
  MerchantConfig,
  MerchantConfigBody,
  MerchantConfigParams,
  MerchantParams,
  UpdateMerchantBody,
} from '../schemas/merchants.ts';

const tags = ['merchants'];

export const merchantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.merchants;

  app.post(
    '/api/merchants',
    {
      schema: {
        tags,
        summary: 'Create a merchant',
        body: CreateMerchantBody,
        response: { 200: Merchant, ...errorReplies },
      },
    },
    (request) => service.create(request.principal, request.body),
  );
  app.get(
    '/api/merchants/:merchantId',
    {
      schema: {
        tags,
        summary: 'Get a merchant',
        params: MerchantParams,
        response: { 200: Merchant, ...errorReplies },
      },
    },
    (request) => service.get(request.principal, request.params.merchantId),
  );
  app.put(
    '/api/merchants/:merchantId',
    {
      schema: {
        tags,
        summary: 'Rename a merchant',
        params: MerchantParams,
        body: UpdateMerchantBody,
        response: { 200: Merchant, ...errorReplies },
      },
    },
    (request) => service.update(request.principal, request.params.merchantId, request.body),
  );
  app.post(
    '/api/merchants/:merchantId/configs',
    {
      schema: {
        tags,
        summary: 'Create a merchant config',
        params: MerchantParams,
        body: MerchantConfigBody,
        response: { 200: MerchantConfig, ...errorReplies },
      },
    },
    (request) => service.createConfig(request.principal, request.params.merchantId, request.body),
  );
  app.get(
    '/api/merchants/:merchantId/configs',
    {
      schema: {
        tags,
        summary: "List a merchant's configs",
        params: MerchantParams,
        response: { 200: listOf(MerchantConfig), ...errorReplies },
      },
    },
    (request) => service.listConfigs(request.principal, request.params.merchantId),
  );
  app.put(
    '/api/merchants/:merchantId/configs/:configId',
    {
      schema: {
        tags,
        summary: 'Replace a merchant config',
        params: MerchantConfigParams,
        body: MerchantConfigBody,
        response: { 200: MerchantConfig, ...errorReplies },
      },
    },
    (request) =>
      service.updateConfig(
        request.principal,
        request.params.merchantId,
        request.params.configId,
        request.body,
      ),
  );
  app.get(
    '/api/merchant-configs/:configId',
    {
      schema: {
        tags,
        summary: 'Get a merchant config',
        params: Type.Object({ configId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: MerchantConfig, ...errorReplies },
      },
    },
    (request) => service.getConfig(request.principal, request.params.configId),
  );
};
