// What each command answers, and the errors any command may fail with.
import type { CommandName, DeviceConfig } from './commands.ts';
import type { Currency, SalePhase } from './state.ts';

export type JournalOutcome =
  'pending' | 'paid' | 'declined' | 'expired' | 'cancelled' | 'void-pending' | 'refunded';

/** One payment request the kiosk created, as its durable journal keeps it. */
export interface JournalEntry {
  saleId: string;
  flow: 'qr' | 'voucher' | 'barcode' | 'vending';
  requestId: string | null;
  shortCode: string | null;
  amount: number;
  currency: Currency;
  outcome: JournalOutcome;
  refundedAmount: number;
  createdAt: string;
  updatedAt: string;
}

export interface KioskSettings {
  apiBaseUrl: string;
  publicBaseUrl: string;
  /** Only whether a key is stored: the key itself never leaves the host. */
  apiKeySet: boolean;
  configId: string;
  terminalId: string;
  deviceId: string;
  kioskMode: boolean;
  expirySeconds: number;
  /** True when the payment API runs inside this kiosk. */
  embeddedCore: boolean;
  /** The configured scanners and vending adapter (their health is the state's `devices`). */
  devices: DeviceConfig[];
}

/** A serial port as the system lists it; USB IDs are hex strings without `0x` ("0c2e"). */
export interface AttachedSerialPort {
  path: string;
  manufacturer?: string;
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
}

/** A HID device as the system lists it; one entry per interface, so per usage page. */
export interface AttachedHidDevice {
  path: string;
  vendorId: number;
  productId: number;
  product?: string;
  serialNumber?: string;
  /** 0x8C is HID-POS. */
  usagePage?: number;
}

/**
 * What is attached now. A bus that could not be listed (its native module missing, no
 * permission) is in `failures` with the system's reason; the other bus is listed all the same.
 * PTYs are never listed: their path is typed.
 */
export interface AttachedDevices {
  serialPorts: AttachedSerialPort[];
  hidDevices: AttachedHidDevice[];
  failures: { bus: 'serial' | 'hid'; message: string }[];
}

export type UnlockReply = { unlocked: true } | { unlocked: false; lockedUntil: string | null };

export interface CommandReplies {
  'sale.start': void;
  'sale.submitVoucher': void;
  'sale.submitBarcode': void;
  'sale.retryCode': void;
  'sale.cancel': void;
  'sale.dismiss': void;
  'vending.cancel': void;
  'vending.dismiss': void;
  'scanner.wedgeRead': void;
  'attendant.unlock': UnlockReply;
  'attendant.lock': void;
  'refund.lookup': void;
  'refund.submit': void;
  'refund.dismiss': void;
  'journal.list': JournalEntry[];
  'settings.get': KioskSettings;
  'settings.update': KioskSettings;
  'settings.changePin': void;
  'devices.discover': AttachedDevices;
}

/** Why a command was refused; the UI shows these, so each has a catalogue string. */
export type CommandErrorCode =
  /** The input failed its schema; `field` names what was wrong. */
  | 'INVALID_INPUT'
  /** The command does not fit the current phase (e.g. a second sale during a sale). */
  | 'WRONG_PHASE'
  /** Refunds and settings need the attendant PIN first. */
  | 'PIN_REQUIRED'
  /** No payment API is configured (URL and key): nothing can be sold or refunded. */
  | 'NO_PAYMENT_API'
  /** The host has no secure place to keep the API key (e.g. no OS keyring). */
  | 'SECRET_STORAGE_UNAVAILABLE'
  | 'UNKNOWN_COMMAND';

export interface CommandFailure {
  code: CommandErrorCode;
  message: string;
  field?: string;
  /** For WRONG_PHASE: where the flow is. */
  phase?: SalePhase | string;
}

export type CommandResult<N extends CommandName> =
  { ok: true; value: CommandReplies[N] } | { ok: false; error: CommandFailure };
