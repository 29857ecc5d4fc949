// The requests each scenario sends, as the demo terminal sends them.
import type { RequestSpec } from 'autocannon';
import { DEMO } from '../core/seed/demo.ts';
import { runLoad } from './load.ts';

/** Sent with every request; POSTs add their content type. */
export const API_HEADERS = { 'x-api-key': DEMO.terminalKey };

const JSON_HEADERS = { 'content-type': 'application/json' };
const PAYMENT_REQUESTS = '/api/payment-requests';
const VALUE = { amount: '100', currency: 'NZD' };
/** The longest expiry the API allows, so no pre-created request expires before it is paid. */
const LONG_EXPIRY_SECONDS = 86_400;

/** The baseline server's only route. */
export const baselineRequests: RequestSpec[] = [{ method: 'GET', path: '/' }];

export const createRequests: RequestSpec[] = [
  {
    method: 'POST',
    path: PAYMENT_REQUESTS,
    headers: JSON_HEADERS,
    body: JSON.stringify({ configId: DEMO.configId, value: VALUE }),
  },
];

/** GETs the given requests in turn, round and round. */
export function getRequests(ids: readonly string[]): RequestSpec[] {
  let next = 0;
  return [
    {
      method: 'GET',
      setupRequest(request) {
        request.path = `${PAYMENT_REQUESTS}/${ids[next++ % ids.length]}`;
        return request;
      },
    },
  ];
}

/** The requests `payRequests` pays, in order, and how far it has got. */
export interface PayQueue {
  ids: readonly string[];
  next: number;
  /** Pays sent after the last id was taken: each is a second payment, hence a non-2xx. */
  repeats: number;
  /** When the last id was taken (epoch ms), if it was. */
  exhaustedAt?: number;
}

/**
 * Pays each queued request once with an external tender (cash taken outside, so no balance is
 * needed). Once every id is taken it calls `exhausted` (to stop the run) and repeats the last
 * id until the run stops, counting those in `queue.repeats`.
 */
export function payRequests(queue: PayQueue, exhausted: () => void = () => {}): RequestSpec[] {
  const body = JSON.stringify({ assetType: 'external.test' });
  return [
    {
      method: 'POST',
      headers: JSON_HEADERS,
      body,
      setupRequest(request) {
        let id = queue.ids[queue.next];
        if (id === undefined) {
          id = queue.ids.at(-1);
          queue.exhaustedAt ??= Date.now();
          queue.repeats++;
          exhausted();
        } else queue.next++;
        request.path = `${PAYMENT_REQUESTS}/${id}/pay`;
        return request;
      },
    },
  ];
}

/** Creates `count` payment requests that stay payable for a day, 50 at a time; returns their ids. */
export async function createPayableRequests(url: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  await runLoad({
    url,
    headers: API_HEADERS,
    amount: count,
    requests: [
      {
        ...createRequests[0],
        body: JSON.stringify({
          configId: DEMO.configId,
          value: VALUE,
          expirySeconds: LONG_EXPIRY_SECONDS,
        }),
        onResponse(status, body) {
          if (status === 200) ids.push((JSON.parse(body) as { id: string }).id);
        },
      },
    ],
  });
  return ids;
}
