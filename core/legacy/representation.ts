// The domain as the legacy routes show it: Centrapay's deprecated field names, and amounts as
// numbers of minor units. Built from the current API's model, so both always agree.
import { parseAssetType, type AssetFamily } from '../assets/asset-types.ts';
import type { Activity, PaymentRequest } from '../schemas/payment-requests.ts';
import type { LegacyFields, LegacyTransaction } from './repository.ts';
import type { LegacyPaymentRequest, LegacyReceipt, LegacyVoidReply } from './schemas.ts';
import { optional } from '../wire.ts';

export function toLegacyPaymentRequest(
  request: PaymentRequest,
  fields: LegacyFields,
  paidWith: Pick<LegacyTransaction, 'id' | 'amount'> | undefined,
): LegacyPaymentRequest {
  return {
    requestId: request.id,
    shortCode: request.shortCode,
    merchantId: request.merchantId,
    merchantName: request.merchantName,
    clientId: request.configId,
    denomination: { asset: request.value.currency, amount: Number(request.value.amount) },
    payments: request.paymentOptions.map((option) => ({
      ledger: option.assetType,
      amount: Number(option.amount),
      methods: ['qr_code'],
    })),
    qrCode: request.url,
    requestCode: request.url,
    ...optional('patronCode', request.patronCodeId),
    status: request.status,
    ...optional('cancellationReason', request.cancellationReason),
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    liveness: request.liveness,
    paymentExpirySeconds: request.expirySeconds,
    ...optional('terminalId', request.terminalId),
    ...optional('deviceId', request.deviceId),
    ...optional('description', fields.description),
    ...optional('externalReference', request.externalRef),
    ...optional(
      'paidBy',
      paidWith && request.paidBy && { transactionId: paidWith.id, amount: paidWith.amount },
    ),
    ...optional('notifyUrl', fields.notifyUrl),
  };
}

/** Legacy receipts name the payment type (Centrapay's example: txBitcoin). */
const PAYMENT_TYPES: Record<AssetFamily, string> = {
  'centrapay.nzd': 'txCentrapay',
  'centrapay.token': 'txToken',
  'epay.nzd': 'txEpay',
  external: 'txExternal',
  voucher: 'txVoucher',
};

/** The receipt requests.pay (a payment) and transactions.refund (a refund) answer. */
export function toLegacyReceipt(activity: Activity, merchantLocation?: string): LegacyReceipt {
  const refund = activity.type === 'refund';
  const family = activity.assetType ? parseAssetType(activity.assetType)?.family : undefined;
  return {
    createdAt: activity.createdAt,
    merchant: {
      id: activity.merchantId,
      name: activity.merchantName,
      ...optional('location', merchantLocation),
    },
    payment: {
      amount: Number(activity.value.amount),
      asset: activity.value.currency,
      message: refund ? 'Refund processed' : 'Payment processed',
    },
    reference: activity.id,
    settlementDate: activity.createdAt.slice(0, 10),
    status: 'Success',
    type: refund ? 'txRefund' : family ? PAYMENT_TYPES[family] : 'txPayment',
    version: 1,
  };
}

/** requests.void's answer; the message says whether it cancelled or refunded. */
export function toLegacyVoidReply(activity: Activity): LegacyVoidReply {
  return {
    type: 'voidCancel',
    status: 'Success',
    message: activity.type === 'refund' ? 'Payment refunded in full' : 'Payment request cancelled',
  };
}
