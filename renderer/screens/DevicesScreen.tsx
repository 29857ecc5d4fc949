import { Screen } from '../components/Screen.tsx';
import type { DeviceInfo } from '../contract.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';
import { BackToMenu } from './AttendantScreen.tsx';

const NO_DEVICES: DeviceInfo[] = [];

/** Scanners and vending controllers as the terminal last reported them. */
export function DevicesScreen() {
  const t = useT();
  const { dateTime } = useFormat();
  const devices = useKiosk((s) => s.kiosk?.devices ?? NO_DEVICES);
  return (
    <Screen id="devices" heading={t.devices.heading}>
      {devices.length === 0 ? (
        <p className="lead" data-testid="devices-empty">
          {t.devices.empty}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="devices-table">
            <thead>
              <tr>
                <th scope="col">{t.devices.columns.name}</th>
                <th scope="col">{t.devices.columns.kind}</th>
                <th scope="col">{t.devices.columns.status}</th>
                <th scope="col">{t.devices.columns.port}</th>
                <th scope="col">{t.devices.columns.lastSeen}</th>
                <th scope="col">{t.devices.columns.detail}</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((device) => (
                <tr key={device.id} data-testid="device-row" data-status={device.status}>
                  <td>{device.name}</td>
                  <td>{t.devices.kinds[device.kind]}</td>
                  <td>
                    <span className={`status status-${device.status}`}>
                      {t.devices.statuses[device.status]}
                    </span>
                  </td>
                  <td>{device.port ?? ''}</td>
                  {/* With the date: a device may have been gone since an earlier day. */}
                  <td>{device.lastSeenAt ? dateTime(device.lastSeenAt) : ''}</td>
                  <td>
                    {device.detail ?? ''}
                    {device.lastError && (
                      <div className="device-error" data-testid="device-error">
                        {device.lastError}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        <BackToMenu />
      </div>
    </Screen>
  );
}
