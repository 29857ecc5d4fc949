import { useState } from 'react';
import { DigitEntry } from '../components/CodeEntry.tsx';
import { useBusy, useCommand, useNow } from '../components/hooks.ts';
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
    setPin(next);
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
      <DigitEntry
        inputId="attendant-pin"
        testId="pin-input"
        type="password"
        label={t.pin.label}
        value={pin}
        maxLength={MAX_PIN_LENGTH}
        onChange={edit}
        error={
          problem && { id: 'pin-error', text: problem === 'wrong' ? t.pin.wrong : t.pin.tooShort }
        }
        status={
          locked && (
            <p className="inline-error" role="status" data-testid="pin-lockout">
              {t.pin.lockedOut(formatDuration(lockSeconds))}
            </p>
          )
        }
        disabled={locked}
        busy={busy}
        submitTestId="unlock"
        submitLabel={t.pin.unlock}
        onSubmit={() => void unlock()}
        secondary={
          <button
            type="button"
            className="button-secondary"
            data-testid="back"
            onClick={closeAttendant}
          >
            {t.pin.back}
          </button>
        }
      />
    </Screen>
  );
}
