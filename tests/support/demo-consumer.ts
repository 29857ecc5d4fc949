// The demo consumer's phone: pays over the payment API with the seeded wallet, as a wallet app
// would after scanning the kiosk's QR code or being prompted through a patron code.
import { kioskOutput } from './kiosk-process.ts';

export class DemoConsumer {
  private constructor(
    private readonly coreUrl: string,
    private readonly token: string,
  ) {}

  /** Signs the demo consumer in with `kiosk token` against the host's database. */
  static async signIn(coreUrl: string, dataDir: string): Promise<DemoConsumer> {
    const token = await kioskOutput(['token', 'demo-consumer', '--db', `${dataDir}/core.db`]);
    return new DemoConsumer(coreUrl, token.trim());
  }

  async #call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.coreUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Pays the request behind a scanned pay-page URL (`.../pay/{id}`) from the demo wallet. */
  async payUrl(url: string): Promise<void> {
    const id = new URL(url).pathname.split('/').pop();
    if (!id) throw new Error(`not a pay page: ${url}`);
    await this.payRequest(id);
  }

  async payRequest(id: string): Promise<void> {
    await this.#call('POST', `/api/payment-requests/${id}/pay`, {
      assetType: 'centrapay.nzd.test',
      assetId: 'demo-wallet',
    });
  }

  /** The demo wallet's balance and what pre-auth holds leave of it, in minor units. */
  async wallet(): Promise<{ balance: number; available: number }> {
    const asset = await this.#call('GET', '/api/assets/demo-wallet');
    return { balance: Number(asset['balance']), available: Number(asset['availableBalance']) };
  }

  /** A one-time barcode for the wallet to show. */
  async patronBarcode(): Promise<string> {
    return String((await this.#call('POST', '/api/patron-codes', {})).barcode);
  }

  /** The request a scanned patron code created, as the wallet is prompted with it. */
  async promptedRequestId(): Promise<string> {
    return String((await this.#call('GET', '/api/me/patron-code-payment-request')).id);
  }
}
