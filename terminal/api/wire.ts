// The parts of the payment API's wire format (Centrapay's contract) that the kiosk reads and
// writes. Amounts are strings of minor units on the wire; the client converts them to integers.
export interface WireMoney {
  amount: string;
  currency: string;
}

export interface WireLineItem {
  name: string;
  sku?: string;
  qty: string;
  price: string;
}

export interface CreatePaymentRequestBody {
  configId: string;
  value: WireMoney;
  expirySeconds?: number;
  lineItems?: WireLineItem[];
  externalRef?: string;
  terminalId?: string;
  deviceId?: string;
  operatorId?: string;
  barcode?: string;
  preAuth?: boolean;
  idempotencyKey?: string;
}

export type PaymentRequestStatus = 'new' | 'paid' | 'cancelled' | 'expired';

export interface PaymentRequest {
  id: string;
  shortCode: string;
  url: string;
  merchantId: string;
  merchantName: string;
  configId: string;
  value: WireMoney;
  status: PaymentRequestStatus;
  liveness: 'main' | 'test';
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  externalRef?: string;
  terminalId?: string;
  deviceId?: string;
  paidBy?: { assetTotals: { type: string; description: string; total: WireMoney }[] };
  cancellationReason?: string;
  preAuth?: boolean;
  preAuthStatus?: string;
}

export interface PayBody {
  assetType: string;
  authorization?: string;
  assetId?: string;
  amount?: WireMoney;
  idempotencyKey?: string;
}

/** Draws on a pre-auth hold; `value` defaults to the sum of the lines. */
export interface ConfirmBody {
  invoiceRef: string;
  lineItems: WireLineItem[];
  value?: WireMoney;
  idempotencyKey: string;
}

export interface RefundBody {
  value: WireMoney;
  externalRef: string;
}

export interface Activity {
  id: string;
  type: string;
  value: WireMoney;
  paymentRequestId: string;
  createdAt: string;
}

export interface MerchantConfig {
  id: string;
  merchantId: string;
  paymentOptions: { type: string }[];
}

export interface Merchant {
  id: string;
  name: string;
}
