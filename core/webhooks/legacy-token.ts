import { SignJWT } from 'jose';
import { SIGNING_ALGORITHM, type SigningKey } from '../auth/signing-keys.ts';
import type { ActivityType } from '../payment-requests/lifecycle.ts';
import type { PaymentRequestRow } from '../payment-requests/repository.ts';
import type { Activity } from '../schemas/payment-requests.ts';

/** The seed-era transaction types a legacy notifyUrl receives, by activity. */
export const LEGACY_TRANSACTION_TYPES: Partial<Record<ActivityType, string>> = {
  payment: 'PURCHASE',
  authorization: 'PURCHASE',
  refund: 'REFUND',
  cancellation: 'CANCELLED',
  expiry: 'EXPIRED',
};

/**
 * The body a legacy notifyUrl receives: `{token}`, a JWT signed with the same ES256 key as
 * current webhooks, whose `transaction` claim describes what happened.
 */
export async function legacyNotificationBody(
  key: SigningKey,
  request: PaymentRequestRow,
  activity: Activity,
  transactionType: string,
  now: number,
): Promise<string> {
  const transaction = {
    transactionId: activity.id,
    transactionType,
    state: 'Success',
    ledger: activity.assetType ?? null,
    amount: Number(activity.value.amount),
    createdAt: activity.createdAt,
    updatedAt: new Date(now).toISOString(),
    type: activity.type,
    request: {
      requestId: request.id,
      merchantId: request.merchant_id,
      clientId: request.config_id,
      ...(request.external_ref !== null && { externalReference: request.external_ref }),
      denomination: { asset: request.currency, amount: request.amount },
    },
  };
  const token = await new SignJWT({ transaction })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid })
    .setIssuedAt(Math.floor(now / 1000))
    .sign(key.privateKey);
  return JSON.stringify({ token });
}
