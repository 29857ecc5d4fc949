import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import { accountRoutes } from './accounts/routes.ts';
import { createAccountService, type AccountService } from './accounts/service.ts';
import { assetRoutes } from './assets/routes.ts';
import { createAssetService, type AssetService } from './assets/service.ts';
import { createAuthenticator } from './auth/authenticate.ts';
import type { Principal } from './auth/principal.ts';
import type { SigningKey } from './auth/signing-keys.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Storage } from './db/storage.ts';
import { ApiError, errorBody } from './errors.ts';
import { legacyRoutes } from './legacy/routes.ts';
import { RequestChanges } from './events/request-changes.ts';
import { merchantRoutes } from './merchants/routes.ts';
import { createMerchantService, type MerchantService } from './merchants/service.ts';
import {
  createPaymentRequestService,
  type PaymentRequestService,
} from './payment-requests/service.ts';
import { patronCodeRoutes } from './patron-codes/routes.ts';
import { createPatronCodeService, type PatronCodeService } from './patron-codes/service.ts';
import { paymentRequestEventRoutes } from './payment-requests/events-route.ts';
import { paymentRequestRoutes } from './payment-requests/routes.ts';
import { guardInput } from './validation/input-guard.ts';
import { wellKnownRoutes } from './well-known/routes.ts';

export interface Services {
  assets: AssetService;
  clock: Clock;
  requestChanges: RequestChanges;
  accounts: AccountService;
  merchants: MerchantService;
  patronCodes: PatronCodeService;
  paymentRequests: PaymentRequestService;
  signingKey: SigningKey;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

export interface CoreOptions {
  storage: Storage;
  signingKey: SigningKey;
  /** Where consumers reach the pay page; payment request urls start with it. Read per request, as a listening port is known only after start. */
  publicBaseUrl: () => string;
  clock?: Clock;
  /** A pino logger; none means silent. */
  logger?: FastifyBaseLogger;
  /** Log every request and reply (off by default: the core's hot path is the payment). */
  logRequests?: boolean;
}

/** Bodies larger than this are refused with 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Builds the payment API without listening, so tests can `inject()` and server.ts can listen. */
export async function buildCoreApp(options: CoreOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: !options.logRequests }),
    // Request ids in logs tie a reply to what the core did for it.
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const requestChanges = new RequestChanges();
  app.decorate('services', {
    assets: createAssetService({ storage: options.storage }),
    clock,
    requestChanges,
    accounts: createAccountService({ storage: options.storage, clock }),
    merchants: createMerchantService({ storage: options.storage, clock }),
    patronCodes: createPatronCodeService({ storage: options.storage, clock }),
    paymentRequests: createPaymentRequestService({
      storage: options.storage,
      clock,
      changes: requestChanges,
      signingKey: options.signingKey,
      publicBaseUrl: options.publicBaseUrl,
    }),
    signingKey: options.signingKey,
  });
  app.decorateRequest('principal', null as never);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      if (error.retryAfter !== undefined)
        void reply.header('Retry-After', String(error.retryAfter));
      return reply
        .status(error.statusCode)
        .send(errorBody(error.statusCode, error.message, error.reason));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500)
      return reply.status(status).send(errorBody(status, error.message));
    // A 5xx is always a bug: log it whole, tell the caller nothing about its insides.
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody(500, 'Internal Server Error'));
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(errorBody(404, 'Not Found')));
  app.addHook('preValidation', guardInput);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kiosk payment API',
        description:
          "Centrapay's payments API as the kiosk embeds it. Amounts are strings of integer minor units.",
        version: '1.0.0',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
          userToken: { type: 'apiKey', in: 'header', name: 'Authorization' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/documentation' });

  await app.register(wellKnownRoutes);
  const authenticate = createAuthenticator(options.storage, options.signingKey, clock);
  await app.register(async (api) => {
    api.addHook('onRequest', async (request) => {
      request.principal = await authenticate(request);
    });
    await api.register(accountRoutes);
    await api.register(assetRoutes);
    await api.register(merchantRoutes);
    await api.register(patronCodeRoutes);
    await api.register(paymentRequestRoutes);
    await api.register(paymentRequestEventRoutes);
    // Seed-era routes; they also take form bodies (@fastify/formbody, registered inside).
    await api.register(legacyRoutes, { storage: options.storage });
  });
  return app;
}
