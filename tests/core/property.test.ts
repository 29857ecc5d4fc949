// Property tests of what terminals (or anything else on the network) may send the four write
// routes: malformed fields, arbitrary JSON, junk keys, exotic number literals, deeply nested
// values, payloads that are not JSON at all. Whatever arrives: never a 5xx, a 400 says which
// field is wrong, and the books do not move unless a real payment or refund happened (and even
// then they only move value between an asset and the merchant, so their total never changes).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, TEST_ASSET_TYPES } from '../../core/seed/demo.ts';
import { booksTotal, buildTestCore, nzd, type TestCore } from '../support/core.ts';
import { engines } from '../support/databases.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Body = Record<string, Json>;
type Route = 'create' | 'pay' | 'void' | 'refund';
const ROUTES: Route[] = ['create', 'pay', 'void', 'refund'];

/** Business 400s the contract names; every other 400 is a malformed field and says which. */
const BUSINESS_400 = new Set([
  'LINE_ITEMS_SUM_CHECK_FAILED',
  'CHECKSUM_FAILED',
  'INVALID_CURRENCY',
]);
/** How a 400 names what was wrong: `body/value/amount must ...`, `body must have required property 'x'`, `Body is not valid JSON ...`. */
const NAMES_A_FIELD = /^(body|params|querystring)(\/\S+)? /i;
const POISONED = [
  '{"__proto__":{"x":1}}',
  '{"a":{"__proto__":{"x":1}}}',
  '{"constructor":{"prototype":{"x":1}}}',
];

// ---------------------------------------------------------------------------------------------
// Values that no coercion can turn into a valid field. (Fastify's validator coerces scalars:
// 2500 becomes "2500", ["x"] becomes "x", "60" becomes 60, so those are not malformed.)

const notScalar: fc.Arbitrary<Json> = fc
  .oneof(
    fc.dictionary(
      fc.string({ maxLength: 5 }),
      fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
      { maxKeys: 3 },
    ),
    fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { minLength: 2, maxLength: 4 }),
  )
  // A prototype-poisoning key anywhere refuses the whole body before any field is read; that
  // case has its own test (POISONED below), so a malformed field here never carries one.
  .filter((value) => !/"(__proto__|constructor)"/.test(JSON.stringify(value)));
const withNul = fc
  .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
  .map(([a, b]) => `${a}\u0000${b}`);

/** Anything but an amount string of integer minor units, 0 < amount < 100000000. */
const badAmount: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(
    '0',
    '00',
    '-0',
    '0100',
    '100000000',
    '1.5',
    '12.50',
    '.5',
    '5.',
    '1e3',
    '1E3',
    '0x1F',
    '+5',
    ' 100',
    '100 ',
    '',
    'NaN',
    'Infinity',
    '1_000',
    '1,000',
    '１２３',
    '١٢٣',
  ),
  fc.integer({ max: 0 }),
  fc.integer({ min: 100_000_000 }),
  fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
  fc.bigInt({ min: 10n ** 8n, max: 10n ** 60n }).map(String),
  fc.bigInt({ min: 1n, max: 10n ** 20n }).map((n) => `-${n}`),
  fc.tuple(fc.nat(99_999), fc.integer({ min: 1, max: 999 })).map(([a, b]) => `${a}.${b}`),
  fc
    .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -400, max: 400 }))
    .map(([m, e]) => `${m}e${e}`),
  fc.boolean(),
  fc.constant(null),
  withNul,
  notScalar,
);
/** Line item quantities and prices: `^[0-9]{1,9}$`. */
const badDigits: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom('', '-1', '1.5', '1e3', ' 1', '0x1', '1234567890', 'one'),
  fc.integer({ max: -1 }),
  fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
  fc.bigInt({ min: 10n ** 9n, max: 10n ** 30n }).map(String),
  fc.boolean(),
  notScalar,
);
const badCurrency: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom('nzd', 'Nzd', 'USD', 'EUR', 'NZD ', ' AUD', 'NZ', '', 'NZDD'),
  fc.string({ maxLength: 6 }).filter((s) => s !== 'NZD' && s !== 'AUD'),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  notScalar,
);
/** A string field of `min`..`max` characters. */
const badString = (max: number, min = 1): fc.Arbitrary<Json> =>
  fc.oneof(
    ...(min > 0 ? [fc.constant(''), fc.constant(null)] : []),
    fc.string({ minLength: max + 1, maxLength: max + 40 }),
    withNul,
    notScalar,
  );
const badBoolean: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 8 }).filter((s) => s !== 'true' && s !== 'false'),
  fc.integer().filter((n) => n !== 0 && n !== 1),
  fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
  notScalar,
);
const badExpiry: fc.Arbitrary<Json> = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: 86_401 }),
  fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
  fc.constant(false),
  fc.constant(null),
  // A numeric string in range would be coerced to a valid number.
  fc
    .string({ maxLength: 10 })
    .filter(
      (s) => s === '' || !(Number.isInteger(Number(s)) && Number(s) >= 1 && Number(s) <= 86_400),
    ),
  notScalar,
);
const goodItem = { name: 'Flat white', sku: 'fw', qty: '1', price: '2500' };
const badLineItems: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), {
    minKeys: 1,
    maxKeys: 3,
  }),
  fc.constant(Array.from({ length: 201 }, () => ({ name: 'x', qty: '1', price: '0' }))),
  fc
    .constantFrom('price', 'qty', 'discount')
    .chain((field) => badDigits.map((bad) => [{ ...goodItem, [field]: bad }])),
  fc
    .constantFrom('name')
    .chain((field) => badString(256).map((bad) => [{ ...goodItem, [field]: bad }])),
  badBoolean.map((bad) => [{ ...goodItem, restricted: bad }]),
  fc.constantFrom('name', 'qty', 'price').map((field) => {
    const item: Record<string, string> = { ...goodItem };
    delete item[field];
    return [item];
  }),
);

/** One field of a valid body: where it is, and what it must not be. */
interface FieldRule {
  path: string[];
  required: boolean;
  bad: fc.Arbitrary<Json>;
}

const amountRules = (prefix: string[]): FieldRule[] => [
  { path: [...prefix, 'amount'], required: true, bad: badAmount },
  { path: [...prefix, 'currency'], required: true, bad: badCurrency },
];

const RULES: Record<Route, FieldRule[]> = {
  create: [
    { path: ['configId'], required: true, bad: badString(64) },
    {
      path: ['value'],
      required: true,
      bad: fc.oneof(
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string(), { minLength: 2 }),
      ),
    },
    ...amountRules(['value']),
    { path: ['expirySeconds'], required: false, bad: badExpiry },
    { path: ['lineItems'], required: false, bad: badLineItems },
    ...['externalRef', 'invoiceRef', 'terminalId', 'deviceId', 'operatorId'].map((field) => ({
      path: [field],
      required: false,
      bad: badString(128),
    })),
    { path: ['barcode'], required: false, bad: badString(32) },
    ...['patronNotPresent', 'preAuth', 'partialAllowed'].map((field) => ({
      path: [field],
      required: false,
      bad: badBoolean,
    })),
    { path: ['basketAmount'], required: false, bad: badAmount },
    { path: ['idempotencyKey'], required: false, bad: badString(255) },
  ],
  pay: [
    { path: ['assetType'], required: true, bad: badString(64) },
    { path: ['assetId'], required: false, bad: badString(64) },
    { path: ['authorization'], required: false, bad: badString(64) },
    { path: ['pin'], required: false, bad: badString(16) },
    { path: ['amount'], required: false, bad: badAmount },
    {
      path: ['mode'],
      required: false,
      bad: fc.oneof(
        fc.string().filter((s) => s !== 'partial-payment'),
        fc.constant(null),
        fc.integer(),
        notScalar,
      ),
    },
    { path: ['externalPaymentRef'], required: false, bad: badString(128) },
    { path: ['idempotencyKey'], required: false, bad: badString(255) },
  ],
  void: [{ path: ['idempotencyKey'], required: false, bad: badString(255) }],
  refund: [
    {
      path: ['value'],
      required: true,
      bad: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
    },
    ...amountRules(['value']),
    { path: ['externalRef'], required: true, bad: badString(128) },
    { path: ['lineItems'], required: false, bad: badLineItems },
  ],
};

/** A valid body with one field removed (if required) or replaced; and what the 400 must name. */
function malformedBody(
  route: Route,
  base: () => Body,
): fc.Arbitrary<{ body: Body; names: string[] }> {
  return fc.constantFrom(...RULES[route]).chain((rule) => {
    const replace = rule.bad.map((bad) => ({ kind: 'replace' as const, bad }));
    const choices = rule.required
      ? fc.oneof(replace, fc.constant({ kind: 'delete' as const, bad: null }))
      : replace;
    return choices.map(({ kind, bad }) => {
      const body = structuredClone(base());
      const parent = rule.path
        .slice(0, -1)
        .reduce<Record<string, Json>>((node, key) => node[key] as Record<string, Json>, body);
      const field = rule.path.at(-1)!;
      if (kind === 'delete') {
        delete parent[field];
        return {
          body,
          names: [`required property '${field}'`, ['body', ...rule.path.slice(0, -1)].join('/')],
        };
      }
      parent[field] = bad;
      return { body, names: [['body', ...rule.path].join('/')] };
    });
  });
}

// ---------------------------------------------------------------------------------------------

describe.each(engines)('malformed and hostile input on $name', (engine) => {
  let core: TestCore;
  let consumerToken: string;
  let sequence = 0;

  beforeAll(async () => {
    core = await buildTestCore(engine);
    consumerToken = await core.consumerToken();
  });
  afterAll(async () => {
    await core.close();
  });

  async function call(
    method: 'POST' | 'GET',
    url: string,
    payload?: Body | string,
    auth: { token?: string } = {},
  ) {
    const reply = await core.call({
      method,
      url,
      ...(payload !== undefined && { payload, headers: { 'content-type': 'application/json' } }),
      ...auth,
    });
    return {
      status: reply.statusCode,
      body: reply.body.length > 0 ? (reply.json() as Record<string, unknown>) : {},
    };
  }

  async function newRequest(amount = 2_500): Promise<string> {
    const reply = await call('POST', '/api/payment-requests', {
      configId: DEMO.configId,
      value: nzd(amount),
      expirySeconds: 86_400,
    });
    expect(reply.status).toBe(200);
    return reply.body['id'] as string;
  }

  /** Paid with the consumer's wallet, so a refund moves money back into it. */
  async function paidRequest(amount = 100): Promise<string> {
    const id = await newRequest(amount);
    const reply = await call(
      'POST',
      `/api/payment-requests/${id}/pay`,
      { assetType: 'centrapay.nzd.test', assetId: DEMO.walletId },
      { token: consumerToken },
    );
    expect(reply.status).toBe(200);
    return id;
  }

  /** Everything a refused call must leave as it was. */
  async function ledger(): Promise<string> {
    const db = core.storage.read;
    const assets = await db
      .selectFrom('assets')
      .select(['id', 'balance', 'status'])
      .orderBy('id')
      .execute();
    const takings = await db
      .selectFrom('merchant_takings')
      .select(['merchant_id', 'currency', 'amount'])
      .orderBy('merchant_id')
      .execute();
    const requests = await db
      .selectFrom('payment_requests')
      .select(['id', 'status', 'paid_amount', 'refunded_amount', 'activity_count'])
      .orderBy('id')
      .execute();
    const activities = await db
      .selectFrom('activities')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const numbers = <T extends object>(row: T) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v,
        ]),
      );
    return JSON.stringify({
      assets: assets.map(numbers),
      takings: takings.map(numbers),
      requests: requests.map(numbers),
      activities: Number(activities.n),
    });
  }

  /** A target for `route`: the URL, a valid body, and the caller that may send it. */
  async function target(
    route: Route,
  ): Promise<{ url: string; base: () => Body; auth: { token?: string } }> {
    const ref = () => `ref-${++sequence}`;
    switch (route) {
      case 'create':
        return {
          url: '/api/payment-requests',
          base: () => ({ configId: DEMO.configId, value: nzd(2_500), expirySeconds: 600 }),
          auth: {},
        };
      case 'pay': {
        const id = await newRequest();
        return {
          url: `/api/payment-requests/${id}/pay`,
          base: () => ({ assetType: 'epay.nzd.test', authorization: DEMO.giftCard.number }),
          auth: {},
        };
      }
      case 'void': {
        const id = await newRequest();
        return {
          url: `/api/payment-requests/${id}/void`,
          base: () => ({ idempotencyKey: ref() }),
          auth: {},
        };
      }
      case 'refund': {
        const id = await paidRequest();
        return {
          url: `/api/payment-requests/${id}/refund`,
          base: () => ({ value: nzd(40), externalRef: ref() }),
          auth: {},
        };
      }
    }
  }

  /** The checks every reply gets: no 5xx, only statuses the contract gives, and a 400 names what was wrong. */
  function expectSaneReply(
    reply: { status: number; body: Record<string, unknown> },
    context: string,
  ): void {
    expect(reply.status, `${context}: ${JSON.stringify(reply.body)}`).toBeLessThan(500);
    expect([200, 400, 403, 413, 429], context).toContain(reply.status);
    if (reply.status !== 200)
      expect(reply.body, context).toMatchObject({
        statusCode: reply.status,
        error: expect.any(String),
        message: expect.any(String),
      });
    if (reply.status === 400) {
      const message = String(reply.body['message']);
      expect(
        NAMES_A_FIELD.test(message) || BUSINESS_400.has(message),
        `${context}: 400 "${message}" does not say what was wrong`,
      ).toBe(true);
    }
  }

  describe.each(ROUTES)('POST %s', (route) => {
    it('a body with one malformed field is a 400 naming that field, and nothing moves', async () => {
      const { url, base, auth } = await target(route);
      const books = await booksTotal(core.storage);
      const before = await ledger();
      await fc.assert(
        fc.asyncProperty(malformedBody(route, base), async ({ body, names }) => {
          const reply = await call('POST', url, body, auth);
          expectSaneReply(reply, JSON.stringify(body));
          expect(reply.status, JSON.stringify(reply.body)).toBe(400);
          for (const name of names) expect(reply.body['message']).toContain(name);
          expect(await ledger()).toBe(before);
        }),
        { numRuns: 50 },
      );
      expect(await booksTotal(core.storage)).toBe(books);
    });

    it('arbitrary JSON, and valid bodies carrying junk keys, never give a 5xx or change the books', async () => {
      const books = await booksTotal(core.storage);
      const junkBody: fc.Arbitrary<{ whole: Json } | { extra: Body; key: boolean }> = fc.oneof(
        fc.jsonValue().map((whole) => ({ whole: whole as Json })),
        fc
          .tuple(
            fc.dictionary(
              fc.string({ maxLength: 12 }),
              fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>,
              { maxKeys: 5 },
            ),
            fc.boolean(),
          )
          .map(([extra, key]) => ({ extra, key })),
      );
      await fc.assert(
        fc.asyncProperty(junkBody, async (junk) => {
          const { url, base, auth } = await target(route);
          const body =
            'whole' in junk
              ? junk.whole
              : {
                  ...junk.extra,
                  ...base(),
                  ...(junk.key && { idempotencyKey: `junk-${++sequence}` }),
                };
          const before = await ledger();
          const reply = await call('POST', url, JSON.stringify(body), auth);
          expectSaneReply(reply, JSON.stringify(body));
          if (reply.status !== 200) expect(await ledger()).toBe(before);
          expect(await booksTotal(core.storage)).toBe(books);
        }),
        { numRuns: 20 },
      );
    });

    it('payloads that are not JSON, sent as JSON, are a 400 about the body, and nothing moves', async () => {
      const { url, auth } = await target(route);
      const notJson = fc
        .oneof(
          fc.constantFrom(
            '',
            ' ',
            '{',
            '}',
            '{"a":',
            "{'configId':'mc_demo'}",
            '{"a":1,}',
            '[1,]',
            '{"a":1}x',
            'NaN',
            'undefined',
            'Infinity',
            '-',
            '01',
            '.5',
            '"unterminated',
            'nul',
            'true false',
          ),
          // JSON, but refused as prototype poisoning: as bad as not JSON.
          fc.constantFrom(...POISONED),
          fc.string({ maxLength: 60 }),
          fc.string({ unit: 'binary', maxLength: 60 }),
        )
        .filter((text) => {
          if (POISONED.includes(text)) return true;
          try {
            JSON.parse(text.replace(/^\uFEFF/, ''));
            return false;
          } catch {
            return true;
          }
        });
      const before = await ledger();
      await fc.assert(
        fc.asyncProperty(notJson, async (text) => {
          const reply = await call('POST', url, text, auth);
          expectSaneReply(reply, JSON.stringify(text));
          expect(reply.status).toBe(400);
          expect(String(reply.body['message'])).toMatch(/body/i);
        }),
        { numRuns: 30 },
      );
      expect(await ledger()).toBe(before);
    });

    it('huge, negative, fractional and exponent number literals never give a 5xx, and a 400 names the field', async () => {
      const books = await booksTotal(core.storage);
      const literal = fc.oneof(
        fc.constantFrom(
          '1e400',
          '-1e400',
          '1e-400',
          '1e308',
          '-0',
          '0.0',
          '2.5e3',
          '1E2',
          '123456789012345678901234567890',
          '9'.repeat(400),
          '0.' + '0'.repeat(300) + '1',
        ),
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
        fc.double({ noDefaultInfinity: true, noNaN: true }).map(String),
      );
      const templates: Record<Route, (n: string, ref: string) => [string, string]> = {
        create: (n) => [
          `{"configId":"mc_demo","value":{"amount":${n},"currency":"NZD"},"expirySeconds":600}`,
          'body/value/amount',
        ],
        pay: (n) => [
          `{"assetType":"epay.nzd.test","authorization":"${DEMO.giftCard.number}","amount":${n}}`,
          'body/amount',
        ],
        void: (n) => [`{"idempotencyKey":${n}}`, 'body/idempotencyKey'],
        refund: (n, ref) => [
          `{"value":{"amount":${n},"currency":"NZD"},"externalRef":"${ref}"}`,
          'body/value/amount',
        ],
      };
      const expiry = (n: string) =>
        [
          `{"configId":"mc_demo","value":{"amount":"100","currency":"NZD"},"expirySeconds":${n}}`,
          'body/expirySeconds',
        ] as [string, string];
      await fc.assert(
        fc.asyncProperty(literal, fc.boolean(), async (n, onExpiry) => {
          const { url, auth } = await target(route);
          const [text, field] =
            route === 'create' && onExpiry ? expiry(n) : templates[route](n, `num-${++sequence}`);
          const before = await ledger();
          const reply = await call('POST', url, text, auth);
          expectSaneReply(reply, text);
          if (reply.status === 400) expect(reply.body['message']).toContain(field);
          if (reply.status !== 200) expect(await ledger()).toBe(before);
          expect(await booksTotal(core.storage)).toBe(books);
        }),
        { numRuns: 15 },
      );
    });

    it('deeply nested junk never gives a 5xx', async () => {
      const books = await booksTotal(core.storage);
      const nesting = fc.record({
        depth: fc.integer({ min: 1, max: 12_000 }),
        shape: fc.constantFrom('array', 'object'),
        where: fc.constantFrom('extra key', 'in a field', 'whole body'),
        idempotencyKey: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(nesting, async ({ depth, shape, where, idempotencyKey }) => {
          const { url, base, auth } = await target(route);
          const deep =
            shape === 'array'
              ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
              : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
          const body = {
            ...base(),
            ...(idempotencyKey && { idempotencyKey: `deep-${++sequence}` }),
          };
          const fields = Object.entries(body).map(
            ([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`,
          );
          const text =
            where === 'whole body'
              ? deep
              : where === 'extra key'
                ? `{${[...fields, `"junk":${deep}`].join(',')}}`
                : // The first field of the body (configId, assetType, idempotencyKey, value) holds the junk.
                  `{${[...fields.slice(1), `${JSON.stringify(Object.keys(body)[0])}:${deep}`].join(',')}}`;
          const before = await ledger();
          const reply = await call('POST', url, text, auth);
          expectSaneReply(
            reply,
            `${shape} nested ${depth} deep, ${where}, ${idempotencyKey ? 'with' : 'without'} idempotencyKey`,
          );
          if (reply.status !== 200) expect(await ledger()).toBe(before);
          expect(await booksTotal(core.storage)).toBe(books);
        }),
        { numRuns: 15 },
      );
    });
  });

  it('unknown asset types are INVALID_ASSET_TYPE, and nothing moves', async () => {
    const id = await newRequest();
    const before = await ledger();
    const unknownType = fc
      .oneof(
        fc.constantFrom(
          'centrapay.nzd.main',
          'epay.nzd.main',
          'voucher.main',
          'external.main',
          'centrapay.token.main',
          '__proto__.test',
          'constructor.test',
          'toString.test',
          'hasOwnProperty.test',
          'voucher',
          '.test',
          'test',
          '.',
          'voucher.test.test',
          'VOUCHER.TEST',
          'epay.aud.test',
          'bitcoin.test',
          'voucher.testing',
          ' voucher.test',
          'voucher.test ',
        ),
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
      )
      .filter(
        (type) =>
          !(TEST_ASSET_TYPES as readonly string[]).includes(type) && !type.includes('\u0000'),
      );
    await fc.assert(
      fc.asyncProperty(
        unknownType,
        fc.option(
          fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\u0000')),
          { nil: undefined },
        ),
        async (assetType, authorization) => {
          const reply = await call('POST', `/api/payment-requests/${id}/pay`, {
            assetType,
            ...(authorization !== undefined && { authorization }),
          });
          expectSaneReply(reply, assetType);
          expect([reply.status, reply.body['message']], JSON.stringify(reply.body)).toEqual([
            403,
            'INVALID_ASSET_TYPE',
          ]);
          expect(await ledger()).toBe(before);
        },
      ),
      { numRuns: 60 },
    );
  });
});
