export type ApiKeyRole = 'account-owner' | 'merchant-terminal';

/** Who is calling, as established by an API key or a user access token. */
export type Principal =
  | { kind: 'api-key'; accountId: string; role: ApiKeyRole; keyName: string }
  | { kind: 'user'; userId: string; accountId: string }
  | { kind: 'anon-consumer'; subject: string };

/** Centrapay's resource name (crn) for the caller, as audit fields such as `createdBy` show it. */
export function principalCrn(principal: Principal): string {
  switch (principal.kind) {
    case 'api-key':
      return `crn:${principal.accountId}:api-key:${principal.keyName}`;
    case 'user':
      return `crn::user:${principal.userId}`;
    case 'anon-consumer':
      return `crn::anon-consumer:${principal.subject}`;
  }
}

/** May act for the merchants of `merchantAccountId`: its API keys (either role) and its owner. */
export function actsForMerchantAccount(principal: Principal, merchantAccountId: string): boolean {
  return principal.kind !== 'anon-consumer' && principal.accountId === merchantAccountId;
}

/** Consumers read any payment request they are shown (by QR, link or short code) so they can pay it. */
export function mayReadPaymentRequest(principal: Principal, merchantAccountId: string): boolean {
  return principal.kind !== 'api-key' || actsForMerchantAccount(principal, merchantAccountId);
}
