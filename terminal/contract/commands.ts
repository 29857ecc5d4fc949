// The commands a kiosk UI may send, as schemas: the one definition both adapters (Electron IPC and
// the browser host's WebSocket) validate against, and the renderer's types are derived from.
// The renderer imports this file with `import type` only, so no schema code reaches its bundle.
import { Type, type Static, type TSchema } from 'typebox';
import { DeviceConfigs } from '../devices/device-config.ts';

export type { DeviceConfig } from '../devices/device-config.ts';

/** Integer minor units; the kiosk never handles money as a float. */
const MinorUnits = Type.Integer({ minimum: 1, maximum: 99_999_999 });

export const PaymentMethod = Type.Union([
  Type.Literal('qr'),
  Type.Literal('voucher'),
  Type.Literal('barcode'),
]);
export type PaymentMethod = Static<typeof PaymentMethod>;

export const BasketLine = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    sku: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    qty: Type.Integer({ minimum: 1, maximum: 10_000 }),
    /** The line's total price in minor units. */
    price: MinorUnits,
  },
  { additionalProperties: false },
);
export type BasketLine = Static<typeof BasketLine>;

/** How long a consumer has to pay; long enough to open a wallet, short enough to free the till. */
export const EXPIRY_SECONDS = Type.Integer({ minimum: 10, maximum: 3600 });

/** An http(s) URL, or empty for the setting's default. */
export const HTTP_URL_OR_EMPTY = Type.Union([
  Type.Literal(''),
  Type.String({ pattern: '^https?://[^\\s]+$', format: 'uri', maxLength: 500 }),
]);

export const SettingsUpdate = Type.Object(
  {
    /** Empty: the payment API embedded in this kiosk. */
    apiBaseUrl: Type.Optional(HTTP_URL_OR_EMPTY),
    /** Empty: the host's own address (terminal/settings.ts). */
    publicBaseUrl: Type.Optional(HTTP_URL_OR_EMPTY),
    /** Write-only: the key is stored by the host and never read back. */
    apiKey: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    configId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    terminalId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    deviceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    kioskMode: Type.Optional(Type.Boolean()),
    expirySeconds: Type.Optional(EXPIRY_SECONDS),
    /**
     * The whole device list, as the settings keep it: it replaces the devices in use at once
     * (between sales, with the vending machine idle).
     */
    devices: Type.Optional(DeviceConfigs),
  },
  { additionalProperties: false },
);
export type SettingsUpdate = Static<typeof SettingsUpdate>;

const Empty = Type.Object({}, { additionalProperties: false });
const Pin = Type.String({ pattern: '^[0-9]{4,8}$' });

/** Every command: its name, and the schema of its input. */
export const commandInputs = {
  /** Start a sale for `amount` paid by `method` (the attendant's keypad, or a basket). */
  'sale.start': Type.Object(
    {
      amount: MinorUnits,
      method: PaymentMethod,
      lines: Type.Optional(Type.Array(BasketLine, { maxItems: 100 })),
    },
    { additionalProperties: false },
  ),
  /** A voucher code typed on the keypad. */
  'sale.submitVoucher': Type.Object(
    { code: Type.String({ minLength: 1, maxLength: 64 }) },
    { additionalProperties: false },
  ),
  /** A patron code typed by hand (the scanner delivers its reads itself). */
  'sale.submitBarcode': Type.Object(
    { barcode: Type.String({ minLength: 1, maxLength: 64 }) },
    { additionalProperties: false },
  ),
  /** After a declined voucher: try another code on the same payment request. */
  'sale.retryCode': Empty,
  /** Abandon the sale on screen: its payment request is voided at once. */
  'sale.cancel': Empty,
  /** Leave a result screen. */
  'sale.dismiss': Empty,
  /** The consumer at the vending machine gives up before the vend: everything is given back. */
  'vending.cancel': Empty,
  /** Leave the vending result screen for the static QR. */
  'vending.dismiss': Empty,
  /** A keyboard-wedge scanner's read, recognised by the UI from its keystroke timing. */
  'scanner.wedgeRead': Type.Object(
    { data: Type.String({ minLength: 1, maxLength: 256 }) },
    { additionalProperties: false },
  ),
  'attendant.unlock': Type.Object({ pin: Pin }, { additionalProperties: false }),
  'attendant.lock': Empty,
  /** Find the payment request behind a receipt's short code (typed or scanned). */
  'refund.lookup': Type.Object(
    { shortCode: Type.String({ minLength: 1, maxLength: 20 }) },
    { additionalProperties: false },
  ),
  'refund.submit': Type.Object({ amount: MinorUnits }, { additionalProperties: false }),
  'refund.dismiss': Empty,
  'journal.list': Type.Object(
    { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
    { additionalProperties: false },
  ),
  'settings.get': Empty,
  'settings.update': SettingsUpdate,
  'settings.changePin': Type.Object({ newPin: Pin }, { additionalProperties: false }),
  /** The serial ports and HID devices attached now, to pick a device's port from. */
  'devices.discover': Empty,
} satisfies Record<string, TSchema>;

export type CommandName = keyof typeof commandInputs;
export type CommandInput<N extends CommandName> = Static<(typeof commandInputs)[N]>;
