// The renderer's one door to the terminal contract: types only, so no schema or other runtime
// code from terminal/ can reach the bundle (lint refuses value imports from terminal/).
export type * from '../terminal/contract/bridge.ts';
export type { CommandMessage, HostMessage } from '../terminal/contract/socket-messages.ts';
export type {
  PairingRefusal,
  PairingReply,
  PairingRequest,
} from '../terminal/contract/pairing-messages.ts';
import type {
  PAIRING_CODE_DIGITS as ContractPairingCodeDigits,
  PAIRING_PATH as ContractPairingPath,
} from '../terminal/contract/pairing-messages.ts';
import type {
  SOCKET_PATH as ContractSocketPath,
  SUBPROTOCOL_PREFIX as ContractSubprotocolPrefix,
} from '../terminal/contract/socket-messages.ts';

// Copies of the contract's constants; the annotations fail to compile if the contract's values
// change.
export const SOCKET_PATH: typeof ContractSocketPath = '/kiosk';
export const SUBPROTOCOL_PREFIX: typeof ContractSubprotocolPrefix = 'kiosk.';
export const PAIRING_PATH: typeof ContractPairingPath = '/pairing';
export const PAIRING_CODE_DIGITS: typeof ContractPairingCodeDigits = 6;
