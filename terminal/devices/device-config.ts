// How a kiosk's devices are set up (spec, hardware.md Configuration): which driver, how to find
// the device, and its serial settings. Kept in TerminalSettings as `devices`; the schema is the
// one check both settings stores apply when they read the file.
import { Type, type Static } from 'typebox';
import { SELECTION_LIMIT_MS, VEND_RESULT_LIMIT_MS } from '../flows/vending-flow.ts';

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

const Millis = Type.Integer({ minimum: 1, maximum: 600_000 });

/**
 * A vending machine's cashless adapter (`qibixx`). The kiosk runs credit-first sessions (the
 * consumer pays, then chooses), the mode the Qibixx adapters support: spec/hardware.md.
 */
export const VendingSettings = Type.Object(
  {
    /** The machine's highest price in minor units: what a consumer pays, or has held, first. */
    maxCredit: Type.Integer({ minimum: 1, maximum: 99_999_999 }),
    /** ISO 4217 numeric code for the MDB link. Default: the terminal's currency (NZD 554, AUD 36). */
    currencyCode: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
    /**
     * Hold the credit with a pre-auth and charge only the price (default), rather than take the
     * maximum and refund the difference. Only wallets can hold funds.
     */
    preAuth: Type.Optional(Type.Boolean()),
    /** The adapter's `mdb-timeout` in seconds; the adapter's own default when absent. */
    vmcTimeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
    /**
     * The driver's waits (spec, Kiosk timeouts); each default is the driver's. Those the vending
     * flow also watches stay below its own limits, so the driver always ends a wait first: a vend
     * result the flow had already given up on would go uncharged.
     */
    timeouts: Type.Optional(
      Type.Object(
        {
          replyMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 4_000 })),
          selectionMs: Type.Optional(
            Type.Integer({ minimum: 1, maximum: SELECTION_LIMIT_MS - 5_000 }),
          ),
          creditFirstApprovalMs: Type.Optional(Millis),
          vendResultMs: Type.Optional(
            Type.Integer({ minimum: 1, maximum: VEND_RESULT_LIMIT_MS - 5_000 }),
          ),
          heartbeatMs: Type.Optional(Millis),
          heartbeatMisses: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          startRetryMs: Type.Optional(Millis),
          startRetryForMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type VendingSettings = Static<typeof VendingSettings>;

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
    /** `qibixx` only, and required there: the machine's prices and the adapter's settings. */
    vending: Type.Optional(VendingSettings),
  },
  { additionalProperties: false },
);
export type DeviceConfig = Static<typeof DeviceConfig>;

export const DeviceConfigs = Type.Array(DeviceConfig, { maxItems: 32 });

/**
 * What a schema cannot say: ids are unique (they key the health records), and there is at most
 * one vending adapter (the kiosk drives one machine), which has its settings. Null when the list
 * is usable, else why not, in words an attendant's screen can show.
 */
export function deviceListProblem(configs: readonly DeviceConfig[]): string | null {
  const ids = configs.map((config) => config.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) return `two devices have the id "${repeated}"`;
  const adapters = configs.filter((config) => config.driver === 'qibixx');
  if (adapters.length > 1) return 'a kiosk drives one vending machine: configure one adapter';
  const bare = adapters.find((adapter) => adapter.vending === undefined);
  if (bare) return `the vending adapter "${bare.id}" needs its vending settings (maxCredit)`;
  return null;
}

export function isUsableDeviceList(configs: readonly DeviceConfig[]): boolean {
  return deviceListProblem(configs) === null;
}

/** A USB ID from the configuration or a listing ("0c2e", "0x0C2E", 3118) as a number. */
export function usbIdValue(id: number | string | undefined): number | undefined {
  if (id === undefined) return undefined;
  if (typeof id === 'number') return id;
  const value = Number.parseInt(id.replace(/^0x/i, ''), 16);
  return Number.isNaN(value) ? undefined : value;
}
