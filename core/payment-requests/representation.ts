// Rows as the API shows them: Centrapay's field names, string amounts, ISO times.
import { describeAssetType } from '../assets/asset-types.ts';
import { monetary } from '../money.ts';
import type { Activity, LineItem, PaymentRequest } from '../schemas/payment-requests.ts';
import {
  effectivePreAuthStatus,
  effectiveStatus,
  remainingAmount,
  type LifecycleState,
} from './lifecycle.ts';
import type { ActivityRow, PaymentRequestRow } from './repository.ts';
import { isoTime as iso, optional } from '../wire.ts';

export function lifecycleState(row: PaymentRequestRow): LifecycleState {
  return {
    status: row.status,
    amount: row.amount,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    partialAllowed: row.partial_allowed === 1,
    paidAmount: row.paid_amount,
    refundedAmount: row.refunded_amount,
    cancellationReason: row.cancellation_reason,
    preAuth: row.pre_auth === 1,
    preAuthStatus: row.pre_auth_status,
    heldAmount: row.held_amount,
    preAuthExpiresAt: row.pre_auth_expires_at,
  };
}

export function paidBy(
  row: Pick<PaymentRequestRow, 'paid_asset_type' | 'paid_amount' | 'currency'>,
) {
  if (row.paid_asset_type === null) return undefined;
  return {
    assetTotals: [
      {
        type: row.paid_asset_type,
        description: describeAssetType(row.paid_asset_type),
        total: monetary(row.paid_amount, row.currency),
      },
    ],
  };
}

export function toPaymentRequest(
  row: PaymentRequestRow,
  now: number,
  publicBaseUrl: string,
): PaymentRequest {
  const state = lifecycleState(row);
  const status = effectiveStatus(state, now);
  const cancellationReason =
    status === 'expired' ? 'PAYMENT_REQUEST_EXPIRED' : row.cancellation_reason;
  return {
    id: row.id,
    shortCode: row.short_code,
    url: `${publicBaseUrl}/pay/${row.id}`,
    merchantId: row.merchant_id,
    merchantName: row.merchant_name,
    configId: row.config_id,
    value: monetary(row.amount, row.currency),
    paymentOptions: JSON.parse(row.payment_options) as PaymentRequest['paymentOptions'],
    status,
    liveness: row.liveness,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    expiresAt: iso(row.expires_at),
    expirySeconds: row.expiry_seconds,
    lineItems: JSON.parse(row.line_items) as LineItem[],
    ...optional('externalRef', row.external_ref),
    ...optional('invoiceRef', row.invoice_ref),
    ...optional('terminalId', row.terminal_id),
    ...optional('deviceId', row.device_id),
    ...optional('operatorId', row.operator_id),
    ...optional('patronCodeId', row.patron_code_id),
    ...optional('paidBy', paidBy(row)),
    ...optional('cancellationReason', cancellationReason),
    partialAllowed: row.partial_allowed === 1,
    ...optional('basketAmount', row.basket_amount === null ? null : String(row.basket_amount)),
    remainingAmount: String(remainingAmount({ ...state, status })),
    preAuth: row.pre_auth === 1,
    ...optional('preAuthStatus', effectivePreAuthStatus(state, now)),
    ...optional(
      'preAuthExpiresAt',
      row.pre_auth_expires_at === null ? null : iso(row.pre_auth_expires_at),
    ),
  };
}

export function toActivity(activity: ActivityRow, request: PaymentRequestRow): Activity {
  return {
    id: activity.id,
    type: activity.type,
    value: monetary(activity.amount, activity.currency),
    paymentRequestId: request.id,
    merchantId: request.merchant_id,
    merchantConfigId: request.config_id,
    merchantName: request.merchant_name,
    ...optional('assetType', activity.asset_type),
    ...optional('externalRef', activity.external_ref),
    createdAt: iso(activity.created_at),
    createdBy: activity.created_by,
    activityNumber: String(activity.activity_number),
    shortCode: request.short_code,
    ...optional('paidBy', activity.type === 'payment' ? paidBy(request) : undefined),
    ...optional(
      'cancellationReason',
      activity.type === 'cancellation' ? request.cancellation_reason : undefined,
    ),
  };
}
