import { useEffect, useState } from 'react';
import { FormNotice } from '../components/FormNotice.tsx';
import { useBusy, useCommand } from '../components/hooks.ts';
import { Screen } from '../components/Screen.tsx';
import type { KioskSettings } from '../contract.ts';
import { useT } from '../i18n/i18n.tsx';
import {
  draftOf,
  EXPIRY_SECONDS_MAX,
  EXPIRY_SECONDS_MIN,
  parseExpirySeconds,
  settingsChanges,
  type Draft,
  type TextField,
} from '../settings.ts';
import { BackToMenu } from './AttendantScreen.tsx';
import { DeviceSettings } from './DeviceSettings.tsx';

/** The terminal's settings (from settings.get), its devices, and the attendant PIN. */
export function SettingsScreen() {
  const t = useT();
  const run = useCommand();
  const [settings, setSettings] = useState<KioskSettings | null>(null);

  useEffect(() => {
    let current = true;
    void run('settings.get', {}).then((result) => {
      if (current && result?.ok) setSettings(result.value);
    });
    return () => {
      current = false;
    };
  }, [run]);

  return (
    <Screen id="settings" heading={t.settings.heading}>
      <div className="split settings-split">
        {settings === null ? (
          <p className="lead" role="status">
            {t.settings.loading}
          </p>
        ) : (
          <SettingsForm settings={settings} onSaved={setSettings} />
        )}
        <PinForm />
      </div>
      {settings !== null && <DeviceSettings saved={settings.devices} onSaved={setSettings} />}
      <div className="actions">
        <BackToMenu />
      </div>
    </Screen>
  );
}

export function SettingsForm({
  settings,
  onSaved,
}: {
  settings: KioskSettings;
  onSaved(settings: KioskSettings): void;
}) {
  const t = useT();
  const run = useCommand();
  const busy = useBusy();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [apiKey, setApiKey] = useState('');
  const [expiryText, setExpiryText] = useState(() => String(settings.expirySeconds));
  const [notice, setNotice] = useState<'saved' | 'nothingChanged' | 'expiryInvalid' | null>(null);

  const edit = <K extends keyof Draft>(field: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setNotice(null);
  };
  const save = async () => {
    const expirySeconds = parseExpirySeconds(expiryText);
    if (expirySeconds === null) {
      setNotice('expiryInvalid');
      return;
    }
    const update = settingsChanges(settings, { ...draft, expirySeconds }, apiKey);
    if (Object.keys(update).length === 0) {
      setNotice('nothingChanged');
      return;
    }
    const result = await run('settings.update', update);
    if (!result?.ok) return;
    onSaved(result.value);
    setDraft(draftOf(result.value));
    setExpiryText(String(result.value.expirySeconds));
    setApiKey('');
    setNotice('saved');
  };

  const text = (field: TextField, type: 'text' | 'url' = 'text', hint?: string) => (
    <div className="form-row">
      <label htmlFor={`setting-${field}`}>{t.settings[field]}</label>
      <input
        id={`setting-${field}`}
        data-testid={`setting-${field}`}
        type={type}
        autoComplete="off"
        spellCheck={false}
        value={draft[field]}
        aria-describedby={hint ? `setting-${field}-hint` : undefined}
        onChange={(e) => edit(field, e.target.value)}
      />
      {hint && (
        <p id={`setting-${field}-hint`} className="hint">
          {hint}
        </p>
      )}
    </div>
  );

  return (
    <form
      className="form"
      data-testid="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {text('apiBaseUrl', 'url', settings.embeddedCore ? t.settings.apiBaseUrlEmbedded : undefined)}
      <div className="form-row">
        <label htmlFor="setting-apiKey">{t.settings.apiKey}</label>
        {/* Write-only: the stored key never comes back; this field only ever sends a new one. */}
        <input
          id="setting-apiKey"
          data-testid="setting-apiKey"
          type="password"
          autoComplete="new-password"
          value={apiKey}
          aria-describedby="setting-apiKey-hint"
          onChange={(e) => {
            setApiKey(e.target.value);
            setNotice(null);
          }}
        />
        <p id="setting-apiKey-hint" className="hint" data-testid="api-key-status">
          {settings.apiKeySet ? t.settings.apiKeySet : t.settings.apiKeyNotSet}
        </p>
      </div>
      {text('publicBaseUrl', 'url', t.settings.publicBaseUrlHint)}
      {text('configId')}
      {text('terminalId')}
      {text('deviceId')}
      <div className="form-row">
        <label htmlFor="setting-expirySeconds">{t.settings.expirySeconds}</label>
        <input
          id="setting-expirySeconds"
          data-testid="setting-expirySeconds"
          type="number"
          inputMode="numeric"
          min={EXPIRY_SECONDS_MIN}
          max={EXPIRY_SECONDS_MAX}
          step={1}
          value={expiryText}
          aria-invalid={notice === 'expiryInvalid'}
          aria-describedby="setting-expirySeconds-hint"
          onChange={(e) => {
            setExpiryText(e.target.value);
            setNotice(null);
          }}
        />
        <p id="setting-expirySeconds-hint" className="hint">
          {t.settings.expirySecondsHint(EXPIRY_SECONDS_MIN, EXPIRY_SECONDS_MAX)}
        </p>
      </div>
      <div className="form-row form-row-check">
        <input
          id="setting-kioskMode"
          data-testid="setting-kioskMode"
          type="checkbox"
          checked={draft.kioskMode}
          onChange={(e) => edit('kioskMode', e.target.checked)}
        />
        <label htmlFor="setting-kioskMode">{t.settings.kioskMode}</label>
      </div>
      <div className="actions">
        <button type="submit" className="button-primary" data-testid="save" disabled={busy}>
          {t.settings.save}
        </button>
      </div>
      {notice && (
        <FormNotice testId="settings-notice" problem={notice === 'expiryInvalid'}>
          {notice === 'saved'
            ? t.settings.saved
            : notice === 'nothingChanged'
              ? t.settings.nothingChanged
              : t.settings.expirySecondsInvalid(EXPIRY_SECONDS_MIN, EXPIRY_SECONDS_MAX)}
        </FormNotice>
      )}
    </form>
  );
}

const PIN_PATTERN = /^[0-9]{4,8}$/;

function PinForm() {
  const t = useT();
  const run = useCommand();
  const busy = useBusy();
  const [newPin, setNewPin] = useState('');
  const [again, setAgain] = useState('');
  const [notice, setNotice] = useState<'changed' | 'invalid' | 'mismatch' | null>(null);

  const change = async () => {
    if (!PIN_PATTERN.test(newPin)) return setNotice('invalid');
    if (newPin !== again) return setNotice('mismatch');
    const result = await run('settings.changePin', { newPin });
    if (!result?.ok) return;
    setNewPin('');
    setAgain('');
    setNotice('changed');
  };
  const digitsOnly = (value: string) => value.replace(/[^0-9]/g, '').slice(0, 8);

  return (
    <form
      className="form"
      data-testid="pin-form"
      aria-labelledby="pin-form-heading"
      onSubmit={(e) => {
        e.preventDefault();
        void change();
      }}
    >
      <h2 id="pin-form-heading">{t.settings.pinHeading}</h2>
      <div className="form-row">
        <label htmlFor="new-pin">{t.settings.newPin}</label>
        <input
          id="new-pin"
          data-testid="new-pin"
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          value={newPin}
          onChange={(e) => {
            setNewPin(digitsOnly(e.target.value));
            setNotice(null);
          }}
        />
      </div>
      <div className="form-row">
        <label htmlFor="new-pin-again">{t.settings.confirmPin}</label>
        <input
          id="new-pin-again"
          data-testid="new-pin-again"
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          value={again}
          onChange={(e) => {
            setAgain(digitsOnly(e.target.value));
            setNotice(null);
          }}
        />
      </div>
      <div className="actions">
        <button type="submit" className="button-primary" data-testid="change-pin" disabled={busy}>
          {t.settings.changePin}
        </button>
      </div>
      {notice && (
        <FormNotice testId="pin-notice" problem={notice !== 'changed'}>
          {notice === 'changed'
            ? t.settings.pinChanged
            : notice === 'invalid'
              ? t.settings.pinInvalid
              : t.settings.pinMismatch}
        </FormNotice>
      )}
    </form>
  );
}
