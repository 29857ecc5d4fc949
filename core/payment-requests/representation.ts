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
import { isoTime as iso } from '../wire.ts';

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
  const createdAt = iso(row.created_at);
  // Optional fields are set one by one in the contract's order: spreading an object per field
  // cost about a third of this function, and every request read or written is shown through it.
  const shown: PaymentRequest = {
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
    createdAt,
    updatedAt: row.updated_at === row.created_at ? createdAt : iso(row.updated_at),
    expiresAt: iso(row.expires_at),
    expirySeconds: row.expiry_seconds,
    lineItems: JSON.parse(row.line_items) as LineItem[],
  } as PaymentRequest;
  if (row.external_ref !== null) shown.externalRef = row.external_ref;
  if (row.invoice_ref !== null) shown.invoiceRef = row.invoice_ref;
  if (row.terminal_id !== null) shown.terminalId = row.terminal_id;
  if (row.device_id !== null) shown.deviceId = row.device_id;
  if (row.operator_id !== null) shown.operatorId = row.operator_id;
  if (row.patron_code_id !== null) shown.patronCodeId = row.patron_code_id;
  const paid = paidBy(row);
  if (paid) shown.paidBy = paid;
  if (cancellationReason !== null) shown.cancellationReason = cancellationReason;
  shown.partialAllowed = row.partial_allowed === 1;
  if (row.basket_amount !== null) shown.basketAmount = String(row.basket_amount);
  shown.remainingAmount = String(remainingAmount({ ...state, status }));
  shown.preAuth = row.pre_auth === 1;
  const preAuthStatus = effectivePreAuthStatus(state, now);
  if (preAuthStatus !== null) shown.preAuthStatus = preAuthStatus;
  if (row.pre_auth_expires_at !== null) shown.preAuthExpiresAt = iso(row.pre_auth_expires_at);
  return shown;
}

export function toActivity(activity: ActivityRow, request: PaymentRequestRow): Activity {
  // Optional fields are set in place, in the contract's order, as in toPaymentRequest: the
  // event stream serialises this object as it stands, so the order is the wire order.
  const shown: Activity = {
    id: activity.id,
    type: activity.type,
    value: monetary(activity.amount, activity.currency),
    paymentRequestId: request.id,
    merchantId: request.merchant_id,
    merchantConfigId: request.config_id,
    merchantName: request.merchant_name,
  } as Activity;
  if (activity.asset_type !== null) shown.assetType = activity.asset_type;
  if (activity.external_ref !== null) shown.externalRef = activity.external_ref;
  shown.createdAt = iso(activity.created_at);
  shown.createdBy = activity.created_by;
  shown.activityNumber = String(activity.activity_number);
  shown.shortCode = request.short_code;
  if (activity.type === 'payment') {
    const paid = paidBy(request);
    if (paid) shown.paidBy = paid;
  }
  if (activity.type === 'cancellation' && request.cancellation_reason !== null)
    shown.cancellationReason = request.cancellation_reason;
  return shown;
}
