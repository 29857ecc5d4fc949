// What the core knows about each asset type family: how it pays, and what a person calls it.
import type { AssetsTable } from '../db/schema.ts';

export type Liveness = 'main' | 'test';
export type AssetFamily = 'centrapay.nzd' | 'centrapay.token' | 'epay.nzd' | 'external' | 'voucher';

export interface AssetFamilyInfo {
  /** Which stored asset pays for it; `external` has none (cash or EFTPOS taken outside). */
  category: AssetsTable['category'] | 'external';
  /** The human name shown after payment (paidBy.assetTotals[].description). */
  description: string;
  /** Presented as a code at a terminal (and paid by the terminal), rather than by its owner. */
  presentedAtTerminal: boolean;
  /** Holds value that moves between consumer and merchant, so it counts in the books. */
  storedValue: boolean;
}

export const ASSET_FAMILIES: Record<AssetFamily, AssetFamilyInfo> = {
  'centrapay.nzd': {
    category: 'wallet',
    description: 'Centrapay NZD wallet',
    presentedAtTerminal: false,
    storedValue: true,
  },
  'centrapay.token': {
    category: 'token',
    description: 'Centrapay token',
    presentedAtTerminal: false,
    storedValue: false,
  },
  'epay.nzd': {
    category: 'gift-card',
    description: 'Gift card',
    presentedAtTerminal: true,
    storedValue: true,
  },
  external: {
    category: 'external',
    description: 'External payment',
    presentedAtTerminal: true,
    storedValue: false,
  },
  voucher: {
    category: 'voucher',
    description: 'Voucher',
    presentedAtTerminal: true,
    storedValue: true,
  },
};

export interface ParsedAssetType {
  type: string;
  family: AssetFamily;
  liveness: Liveness;
  info: AssetFamilyInfo;
}

/** `centrapay.nzd.test` → family `centrapay.nzd`, liveness `test`; undefined for unknown types. */
export function parseAssetType(type: string): ParsedAssetType | undefined {
  const dot = type.lastIndexOf('.');
  const family = type.slice(0, dot);
  const liveness = type.slice(dot + 1);
  if (liveness !== 'main' && liveness !== 'test') return undefined;
  if (!Object.hasOwn(ASSET_FAMILIES, family)) return undefined;
  const known = family as AssetFamily;
  return { type, family: known, liveness, info: ASSET_FAMILIES[known] };
}

export function describeAssetType(type: string): string {
  return parseAssetType(type)?.info.description ?? type;
}
