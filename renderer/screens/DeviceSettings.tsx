import { useEffect, useState } from 'react';
import { FormNotice } from '../components/FormNotice.tsx';
import { useBusy, useCommand } from '../components/hooks.ts';
import type { Currency, DeviceConfig, KioskSettings } from '../contract.ts';
import {
  choicesFor,
  devicesChanged,
  DRIVERS,
  emptyForm,
  hex,
  newDevice,
  usbIds,
  type AttachedChoice,
  type NewDeviceForm,
  type NewDeviceProblem,
} from '../device-settings.ts';
import type { Catalogue } from '../i18n/en.ts';
import { useFormat, useT, type Formatters } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';

/**
 * Settings' devices section: the configured scanners and vending adapter, removing one, adding
 * one on an attached port or a typed path, and saving the list, which the kiosk puts in use at
 * once.
 */
export function DeviceSettings({
  saved,
  onSaved,
}: {
  saved: DeviceConfig[];
  onSaved(settings: KioskSettings): void;
}) {
  const t = useT();
  const run = useCommand();
  const busy = useBusy();
  const draft = useKiosk((s) => s.deviceDraft);
  const editDevices = useKiosk((s) => s.editDevices);
  const removeDevice = useKiosk((s) => s.removeDevice);
  const [notice, setNotice] = useState<'saved' | 'nothingChanged' | 'busy' | null>(null);

  // Restarted only when the saved list's content changes: saving the other settings returns an
  // equal list, which must not throw away devices added and not saved yet.
  const savedKey = JSON.stringify(saved);
  useEffect(() => editDevices(saved), [savedKey, editDevices]);

  const devices = draft ?? saved;
  const save = async () => {
    if (!devicesChanged(saved, devices)) return setNotice('nothingChanged');
    const result = await run('settings.update', { devices });
    if (result?.ok) {
      onSaved(result.value);
      setNotice('saved');
    } else if (result?.error.code === 'WRONG_PHASE') {
      setNotice('busy');
    }
  };

  return (
    <section
      className="form device-settings"
      data-testid="device-settings"
      aria-labelledby="device-settings-heading"
    >
      <h2 id="device-settings-heading">{t.deviceSettings.heading}</h2>
      <ConfiguredDevices
        devices={devices}
        onRemove={(id) => {
          removeDevice(id);
          setNotice(null);
        }}
      />
      <AddDevice devices={devices} onAdded={() => setNotice(null)} />
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          data-testid="save-devices"
          disabled={busy}
          onClick={() => void save()}
        >
          {t.deviceSettings.save}
        </button>
      </div>
      {notice && (
        <FormNotice testId="devices-notice" problem={notice === 'busy'}>
          {t.deviceSettings[notice]}
        </FormNotice>
      )}
    </section>
  );
}

function ConfiguredDevices({
  devices,
  onRemove,
}: {
  devices: DeviceConfig[];
  onRemove(id: string): void;
}) {
  const t = useT();
  const format = useFormat();
  const currency = useKiosk((s) => s.kiosk?.currency ?? 'NZD');
  if (devices.length === 0) {
    return <p data-testid="configured-devices-empty">{t.deviceSettings.empty}</p>;
  }
  return (
    <div className="table-scroll">
      <table className="table" data-testid="configured-devices">
        <thead>
          <tr>
            <th scope="col">{t.deviceSettings.columns.name}</th>
            <th scope="col">{t.deviceSettings.columns.driver}</th>
            <th scope="col">{t.deviceSettings.columns.port}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {devices.map((device) => {
            const name = device.name ?? device.id;
            return (
              <tr key={device.id} data-testid="configured-device" data-device={device.id}>
                <td>{name}</td>
                <td>{t.deviceSettings.drivers[device.driver]}</td>
                <td className="wrap">{whereFound(t, format, device, currency)}</td>
                <td>
                  <button
                    type="button"
                    className="button-secondary"
                    data-testid={`remove-device-${device.id}`}
                    aria-label={t.deviceSettings.removeNamed(name)}
                    onClick={() => onRemove(device.id)}
                  >
                    {t.deviceSettings.remove}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The port, or the USB IDs the device is found by; with a vending adapter's highest price. */
function whereFound(
  t: Catalogue,
  format: Formatters,
  device: DeviceConfig,
  currency: Currency,
): string {
  const { match } = device;
  const parts =
    match.path !== undefined
      ? [match.path]
      : [
          t.deviceSettings.usb(usbIds(match)),
          match.serialNumber !== undefined && t.deviceSettings.serialNumber(match.serialNumber),
          match.usagePage !== undefined && t.deviceSettings.usagePage(hex(match.usagePage)),
        ];
  if (device.vending) {
    parts.push(t.deviceSettings.upTo(format.money(device.vending.maxCredit, currency)));
  }
  return parts.filter(Boolean).join(', ');
}

function AddDevice({ devices, onAdded }: { devices: DeviceConfig[]; onAdded(): void }) {
  const t = useT();
  const run = useCommand();
  const busy = useBusy();
  const currency = useKiosk((s) => s.kiosk?.currency ?? 'NZD');
  const attached = useKiosk((s) => s.attached);
  const setAttached = useKiosk((s) => s.setAttached);
  const addDevice = useKiosk((s) => s.addDevice);
  const [form, setForm] = useState<NewDeviceForm>(() => emptyForm());
  const [problem, setProblem] = useState<NewDeviceProblem | null>(null);

  const edit = (changes: Partial<NewDeviceForm>) => {
    setForm((current) => ({ ...current, ...changes }));
    setProblem(null);
  };
  const refresh = async () => {
    const result = await run('devices.discover', {});
    if (result?.ok) setAttached(result.value);
  };
  const add = () => {
    const made = newDevice(form, devices, currency);
    if (!made.ok) return setProblem(made.problem);
    addDevice(made.device);
    setForm(emptyForm(form.driver));
    onAdded();
  };

  return (
    <fieldset className="device-add" data-testid="add-device">
      <legend>{t.deviceSettings.addHeading}</legend>
      <div className="form-row">
        <span className="field-label" id="device-kind-label">
          {t.deviceSettings.kind}
        </span>
        <div className="toggles" role="group" aria-labelledby="device-kind-label">
          {DRIVERS.map((driver) => (
            <button
              key={driver}
              type="button"
              className="toggle"
              data-testid={`device-kind-${driver}`}
              aria-pressed={form.driver === driver}
              onClick={() => edit({ driver, picked: null })}
            >
              {t.deviceSettings.drivers[driver]}
            </button>
          ))}
        </div>
      </div>
      <div className="form-row">
        <span className="field-label" id="attached-label">
          {t.deviceSettings.attached}
        </span>
        <AttachedList
          choices={attached ? choicesFor(form.driver, attached) : null}
          picked={form.picked}
          onPick={(picked) => edit({ picked, path: '' })}
        />
        {attached?.failures.map((failure) => (
          <p key={failure.bus} className="inline-error" data-testid="discover-failure">
            {t.deviceSettings.listFailed[failure.bus](failure.message)}
          </p>
        ))}
        <div className="actions">
          <button
            type="button"
            className="button-secondary"
            data-testid="discover-devices"
            disabled={busy}
            onClick={() => void refresh()}
          >
            {t.deviceSettings.refresh}
          </button>
        </div>
      </div>
      <div className="form-row">
        <label htmlFor="device-path">{t.deviceSettings.path}</label>
        <input
          id="device-path"
          data-testid="device-path"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={form.path}
          aria-describedby="device-path-hint"
          onChange={(e) => edit({ path: e.target.value, picked: null })}
        />
        <p id="device-path-hint" className="hint">
          {t.deviceSettings.pathHint}
        </p>
      </div>
      <div className="form-row">
        <label htmlFor="device-name">{t.deviceSettings.name}</label>
        <input
          id="device-name"
          data-testid="device-name"
          type="text"
          autoComplete="off"
          value={form.name}
          onChange={(e) => edit({ name: e.target.value })}
        />
      </div>
      {form.driver === 'qibixx' && (
        <>
          <div className="form-row">
            <label htmlFor="device-max-price">{t.deviceSettings.maxPrice}</label>
            <input
              id="device-max-price"
              data-testid="device-max-price"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={form.maxPrice}
              aria-invalid={problem === 'maxPriceInvalid'}
              aria-describedby="device-max-price-hint"
              onChange={(e) => edit({ maxPrice: e.target.value })}
            />
            <p id="device-max-price-hint" className="hint">
              {t.deviceSettings.maxPriceHint}
            </p>
          </div>
          <div className="form-row form-row-check">
            <input
              id="device-pre-auth"
              data-testid="device-pre-auth"
              type="checkbox"
              checked={form.preAuth}
              onChange={(e) => edit({ preAuth: e.target.checked })}
            />
            <label htmlFor="device-pre-auth">{t.deviceSettings.preAuth}</label>
          </div>
        </>
      )}
      <div className="actions">
        <button type="button" data-testid="add-device-button" onClick={add}>
          {t.deviceSettings.add}
        </button>
      </div>
      {problem && (
        <FormNotice testId="add-device-problem" problem>
          {t.deviceSettings.problems[problem]}
        </FormNotice>
      )}
    </fieldset>
  );
}

/** The attached ports or devices a new device could be on, to pick one with a touch. */
function AttachedList({
  choices,
  picked,
  onPick,
}: {
  choices: AttachedChoice[] | null;
  picked: AttachedChoice | null;
  onPick(choice: AttachedChoice): void;
}) {
  const t = useT();
  if (choices === null) return <p className="hint">{t.deviceSettings.notListed}</p>;
  if (choices.length === 0) {
    return (
      <p className="hint" data-testid="nothing-attached">
        {t.deviceSettings.nothingAttached}
      </p>
    );
  }
  return (
    <div className="toggles" role="group" aria-labelledby="attached-label">
      {choices.map((choice, index) => (
        <button
          key={pathOf(choice)}
          type="button"
          className="toggle"
          data-testid={`attached-${index}`}
          aria-pressed={picked !== null && pathOf(picked) === pathOf(choice)}
          onClick={() => onPick(choice)}
        >
          {describeChoice(t, choice)}
        </button>
      ))}
    </div>
  );
}

function pathOf(choice: AttachedChoice): string {
  return choice.bus === 'serial' ? choice.port.path : choice.device.path;
}

/** What the system says the port or device is, then its path. */
function describeChoice(t: Catalogue, choice: AttachedChoice): string {
  if (choice.bus === 'serial') {
    const { path, manufacturer, vendorId, productId } = choice.port;
    const usb = vendorId && productId && t.deviceSettings.usb(usbIds({ vendorId, productId }));
    return [path, manufacturer, usb].filter(Boolean).join(' · ');
  }
  const { path, product, vendorId, productId, usagePage } = choice.device;
  return [
    product,
    t.deviceSettings.usb(usbIds({ vendorId, productId })),
    usagePage !== undefined && t.deviceSettings.usagePage(hex(usagePage)),
    path,
  ]
    .filter(Boolean)
    .join(' · ');
}
