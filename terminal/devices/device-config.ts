// How a kiosk's devices are set up (spec, hardware.md Configuration): which driver, how to find
// the device, and its serial settings. Kept in TerminalSettings as `devices`; the schema is the
// one check both settings stores apply when they read the file.
import { Type, type Static } from 'typebox';

/** A USB vendor or product ID: a number (3118) or hex as `lsusb` prints it ("0c2e", "0x0C2E"). */
const UsbId = Type.Union([
  Type.Integer({ minimum: 0, maximum: 0xffff }),
  Type.String({ pattern: '^(0[xX])?[0-9a-fA-F]{1,4}$' }),
]);

export const DeviceMatch = Type.Object(
  {
    /**
     * Open this path directly: `/dev/ttyUSB0`, `COM3`, a socat PTY link, a hidraw path. PTYs never
     * appear in `SerialPort.list()`, so a path is opened without discovery, and retried.
     */
    path: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    vendorId: Type.Optional(UsbId),
    productId: Type.Optional(UsbId),
    serialNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** HID only: 0x8C is HID-POS. */
    usagePage: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DeviceMatch = Static<typeof DeviceMatch>;

/** For serial drivers; each default is SerialTransport's (9600 8N1, no flow control). */
export const SerialSettings = Type.Object(
  {
    baudRate: Type.Optional(Type.Integer({ minimum: 1, maximum: 4_000_000 })),
    dataBits: Type.Optional(
      Type.Union([Type.Literal(5), Type.Literal(6), Type.Literal(7), Type.Literal(8)]),
    ),
    stopBits: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(1.5), Type.Literal(2)])),
    parity: Type.Optional(
      Type.Union([
        Type.Literal('none'),
        Type.Literal('even'),
        Type.Literal('odd'),
        Type.Literal('mark'),
        Type.Literal('space'),
      ]),
    ),
    rtscts: Type.Optional(Type.Boolean()),
    xonxoff: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SerialSettings = Static<typeof SerialSettings>;

/** For serial scanners; each default is SerialScanner's. */
export const ScannerSettings = Type.Object(
  {
    /** `suffix` (CR, LF or CR LF, the default) or `silence` for suffix-less scanners. */
    framing: Type.Optional(Type.Union([Type.Literal('suffix'), Type.Literal('silence')])),
    interByteTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    settleMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    aimPrefix: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('never')])),
  },
  { additionalProperties: false },
);
export type ScannerSettings = Static<typeof ScannerSettings>;

export const DeviceDriver = Type.Union([
  Type.Literal('serial-scanner'),
  Type.Literal('hid-pos'),
  Type.Literal('qibixx'),
]);
export type DeviceDriver = Static<typeof DeviceDriver>;

export const DeviceConfig = Type.Object(
  {
    /** Stable, unique among the devices: the key of the device's health record. */
    id: Type.String({ minLength: 1, maxLength: 64 }),
    /** For the device panel. Default: the id. */
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    driver: DeviceDriver,
    match: DeviceMatch,
    serial: Type.Optional(SerialSettings),
    scanner: Type.Optional(ScannerSettings),
    /**
     * `qibixx` only: mode, maxCredit, currencyCode and timeouts, read by the vending link that
     * opens the adapter; the device manager lists a qibixx device but does not open it.
     */
    vending: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type DeviceConfig = Static<typeof DeviceConfig>;

export const DeviceConfigs = Type.Array(DeviceConfig, { maxItems: 32 });

/** Ids must be unique: a schema cannot say so. */
export function hasUniqueIds(configs: readonly DeviceConfig[]): boolean {
  return new Set(configs.map((config) => config.id)).size === configs.length;
}

/** A USB ID from the configuration or a listing ("0c2e", "0x0C2E", 3118) as a number. */
export function usbIdValue(id: number | string | undefined): number | undefined {
  if (id === undefined) return undefined;
  if (typeof id === 'number') return id;
  const value = Number.parseInt(id.replace(/^0x/i, ''), 16);
  return Number.isNaN(value) ? undefined : value;
}
