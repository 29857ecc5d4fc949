import { useState } from 'react';
import { useBusy, useCommand, useNow } from '../components/hooks.ts';
import { Keypad } from '../components/Keypad.tsx';
import { Screen } from '../components/Screen.tsx';
import { useT } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';
import { formatDuration, secondsUntil } from '../time.ts';

const PIN_PATTERN = /^[0-9]{4,8}$/;
const MAX_PIN_LENGTH = 8;

/** The attendant's PIN; repeated failures lock the pad until `lockedUntil`. */
export function PinScreen() {
  const t = useT();
  const run = useCommand();
  const busy = useBusy();
  const lockedUntilState = useKiosk((s) => s.kiosk?.attendant.lockedUntil ?? null);
  const openAttendant = useKiosk((s) => s.openAttendant);
  const closeAttendant = useKiosk((s) => s.closeAttendant);
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<'wrong' | 'tooShort' | null>(null);
  // The reply may report a lock-out a moment before the next snapshot does.
  const [lockedUntilReply, setLockedUntilReply] = useState<string | null>(null);

  const lockedUntil = lockedUntilState ?? lockedUntilReply;
  const now = useNow(500, lockedUntil !== null);
  const lockSeconds = secondsUntil(lockedUntil, now) ?? 0;
  const locked = lockSeconds > 0;

  const edit = (next: string) => {
    setPin(next.replace(/[^0-9]/g, '').slice(0, MAX_PIN_LENGTH));
    setProblem(null);
  };
  const unlock = async () => {
    if (!PIN_PATTERN.test(pin)) {
      setProblem('tooShort');
      return;
    }
    const result = await run('attendant.unlock', { pin });
    setPin('');
    if (!result?.ok) return;
    if (result.value.unlocked) {
      openAttendant('menu');
    } else {
      setLockedUntilReply(result.value.lockedUntil);
      setProblem(result.value.lockedUntil ? null : 'wrong');
    }
  };

  return (
    <Screen id="pin" heading={t.pin.heading}>
      <form
        className="split"
        onSubmit={(e) => {
          e.preventDefault();
          void unlock();
        }}
      >
        <div className="panel">
          <label className="field-label" htmlFor="attendant-pin">
            {t.pin.label}
          </label>
          <input
            id="attendant-pin"
            className="code-input"
            data-testid="pin-input"
            type="password"
            inputMode="none"
            autoComplete="off"
            value={pin}
            disabled={locked}
            aria-invalid={problem !== null}
            aria-describedby={problem ? 'pin-error' : undefined}
            onChange={(e) => edit(e.target.value)}
          />
          {problem && (
            <p id="pin-error" className="inline-error" role="alert" data-testid="pin-error">
              {problem === 'wrong' ? t.pin.wrong : t.pin.tooShort}
            </p>
          )}
          {locked && (
            <p className="inline-error" role="status" data-testid="pin-lockout">
              {t.pin.lockedOut(formatDuration(lockSeconds))}
            </p>
          )}
        </div>
        <div className="panel">
          <Keypad
            label={t.pin.label}
            disabled={locked}
            onDigit={(d) => edit(pin + d)}
            onDelete={() => edit(pin.slice(0, -1))}
            extra="clear"
            onExtra={() => edit('')}
          />
        </div>
      </form>
      <div className="actions">
        <button
          type="button"
          className="button-secondary"
          data-testid="back"
          onClick={closeAttendant}
        >
          {t.pin.back}
        </button>
        <button
          type="button"
          className="button-primary"
          data-testid="unlock"
          disabled={busy || locked || pin === ''}
          onClick={() => void unlock()}
        >
          {t.pin.unlock}
        </button>
      </div>
    </Screen>
  );
}
