// Row types of every table. Both engines store the same shapes: times are epoch
// milliseconds, money is integer minor units, flags are 0/1, structured fields are JSON text.
export type Flag = 0 | 1;

export interface AccountsTable {
  id: string;
  name: string;
  type: 'org' | 'individual';
  /** A test account and everything under it reach only `test` liveness. */
  test: Flag;
  created_at: number;
}

export interface AccountMembersTable {
  account_id: string;
  user_id: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  account_id: string;
  name: string;
  liveness: 'main' | 'test';
  created_at: number;
}

export interface ApiKeysTable {
  account_id: string;
  name: string;
  role: 'account-owner' | 'merchant-terminal';
  secret_hash: string;
  enabled: Flag;
  created_at: number;
}

export interface MerchantsTable {
  id: string;
  account_id: string;
  name: string;
  country: string;
  test: Flag;
  created_at: number;
  updated_at: number;
}

export interface MerchantConfigsTable {
  id: string;
  merchant_id: string;
  name: string | null;
  /** JSON: [{ type, ... }] */
  payment_options: string;
  /** JSON: string[] of endpoints that receive this config's payment events (extension). */
  webhook_urls: string;
  created_at: number;
  updated_at: number;
}

export interface PaymentRequestsTable {
  id: string;
  short_code: string;
  merchant_id: string;
  config_id: string;
  currency: string;
  amount: number;
  status: 'new' | 'paid' | 'cancelled' | 'expired';
  liveness: 'main' | 'test';
  expiry_seconds: number;
  expires_at: number;
  created_at: number;
  updated_at: number;
  /** JSON: LineItem[] */
  line_items: string;
  /** JSON: [{ assetType, amount }] */
  payment_options: string;
  external_ref: string | null;
  invoice_ref: string | null;
  terminal_id: string | null;
  device_id: string | null;
  operator_id: string | null;
  patron_code_id: string | null;
  payer_account_id: string | null;
  cancellation_reason: string | null;
  partial_allowed: Flag;
  basket_amount: number | null;
  pre_auth: Flag;
  pre_auth_status: 'authorized' | 'released' | null;
  /** What a pre-auth authorization holds on the payer's asset. */
  held_amount: number;
  pre_auth_expires_at: number | null;
  /** What the payment collected (≤ amount); 0 until paid. */
  paid_amount: number;
  refunded_amount: number;
  paid_asset_type: string | null;
  paid_asset_id: string | null;
  activity_count: number;
  /** Legacy routes only: the requests.create description. */
  description: string | null;
  /** Legacy routes only: where the request's legacy webhooks go. */
  notify_url: string | null;
}

export interface ActivitiesTable {
  id: string;
  payment_request_id: string;
  activity_number: number;
  type:
    | 'preAuthRequest'
    | 'request'
    | 'payment'
    | 'refund'
    | 'cancellation'
    | 'expiry'
    | 'authorization'
    | 'confirmation'
    | 'release';
  amount: number;
  currency: string;
  asset_type: string | null;
  asset_id: string | null;
  external_ref: string | null;
  created_at: number;
  created_by: string;
}

export interface AssetsTable {
  id: string;
  account_id: string | null;
  /** e.g. centrapay.nzd.test, epay.nzd.test, voucher.test */
  type: string;
  category: 'wallet' | 'token' | 'gift-card' | 'voucher';
  /** sha256 of the code that presents it at a terminal (gift card number, voucher code). */
  code_hash: string | null;
  pin_hash: string | null;
  currency: string;
  balance: number;
  /** Part of the balance held by pre-auth authorizations; only `balance - held` can be spent. */
  held: number;
  /** A fixed-amount voucher pays exactly this, once; null for balance-carrying assets. */
  fixed_amount: number | null;
  /** JSON: skus a token pays for */
  skus: string | null;
  status: 'active' | 'blocked' | 'spent';
  expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface MerchantTakingsTable {
  merchant_id: string;
  currency: string;
  amount: number;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  /** JSON reply of the first call; null while it is still running. */
  response: string | null;
  created_at: number;
}

export interface CodeAttemptsTable {
  id: string;
  terminal: string;
  code_hash: string;
  succeeded: Flag;
  created_at: number;
}

export interface PatronCodesTable {
  id: string;
  account_id: string;
  user_id: string;
  /** The barcode is a bearer credential while it lives, so only its digest is kept. */
  barcode_hash: string;
  created_at: number;
  expires_at: number;
  /** Set once, when a terminal creates a payment request with it. */
  payment_request_id: string | null;
}

/** The webhook outbox: written with the event, delivered (and retried) afterwards. */
export interface WebhookDeliveriesTable {
  id: string;
  /** The notification id a receiver deduplicates on; shared by every endpoint it goes to. */
  event_id: string;
  url: string;
  /** The exact bytes sent, so the signature's body hash matches on every retry. */
  body: string;
  /** `current`: Centrapay's signed notification; `legacy`: a `{token}` body for a notifyUrl. */
  kind: 'current' | 'legacy';
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  /** Set when retries stop (two weeks without a 2xx). */
  abandoned_at: number | null;
  last_error: string | null;
  created_at: number;
}

export interface SigningKeysTable {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_at: number;
}

export interface Database {
  accounts: AccountsTable;
  account_members: AccountMembersTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  merchants: MerchantsTable;
  merchant_configs: MerchantConfigsTable;
  payment_requests: PaymentRequestsTable;
  activities: ActivitiesTable;
  assets: AssetsTable;
  merchant_takings: MerchantTakingsTable;
  idempotency_keys: IdempotencyKeysTable;
  code_attempts: CodeAttemptsTable;
  signing_keys: SigningKeysTable;
  webhook_deliveries: WebhookDeliveriesTable;
  patron_codes: PatronCodesTable;
}
