export type ApiKeyRole = 'account-owner' | 'merchant-terminal';

/** Who is calling, as established by an API key or a user access token. */
export type Principal =
  | { kind: 'api-key'; accountId: string; role: ApiKeyRole; keyName: string }
  /** `accountId` is the user's individual account; `memberOf` every account they own, it included. */
  | { kind: 'user'; userId: string; accountId: string; memberOf: string[] }
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

/** Holds the account-owner permissions on `accountId`: its account-owner keys and its members. */
export function ownsAccount(principal: Principal, accountId: string): boolean {
  switch (principal.kind) {
    case 'api-key':
      return principal.role === 'account-owner' && principal.accountId === accountId;
    case 'user':
      return principal.memberOf.includes(accountId);
    case 'anon-consumer':
      return false;
  }
}

/** May act for the merchants of `merchantAccountId`: its API keys (either role) and its owners. */
export function actsForMerchantAccount(principal: Principal, merchantAccountId: string): boolean {
  return (
    (principal.kind === 'api-key' && principal.accountId === merchantAccountId) ||
    ownsAccount(principal, merchantAccountId)
  );
}

/** Consumers read any payment request they are shown (by QR, link or short code) so they can pay it. */
export function mayReadPaymentRequest(principal: Principal, merchantAccountId: string): boolean {
  return principal.kind !== 'api-key' || actsForMerchantAccount(principal, merchantAccountId);
}
