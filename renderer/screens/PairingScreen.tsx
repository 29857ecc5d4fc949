import { useState } from 'react';
import { exchangePairingCode, type PairingResult } from '../bridge/pairing.ts';
import { Keypad } from '../components/Keypad.tsx';
import { Screen } from '../components/Screen.tsx';
import { PAIRING_CODE_DIGITS } from '../contract.ts';
import { useT } from '../i18n/i18n.tsx';

type Problem = Exclude<PairingResult, { ok: true }>['reason'] | 'tooShort';

/**
 * A thin client's first screen: the pairing code from the kiosk's console, typed on a keypad,
 * exchanged for the token. Until it is, the page has no way to reach the kiosk, so this screen
 * stands alone (no kiosk state, no banners).
 */
export function PairingScreen({ onPaired }: { onPaired(token: string): void }) {
  const t = useT();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [attemptsLeft, setAttemptsLeft] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  // A wrong code that spent the last attempt locked pairing, as the next reply would say.
  const closed =
    problem === 'locked' ||
    problem === 'expired' ||
    problem === 'foreign-origin' ||
    attemptsLeft === 0;

  const edit = (next: string) => {
    setCode(next.replace(/[^0-9]/g, '').slice(0, PAIRING_CODE_DIGITS));
    if (!closed) setProblem(null);
  };
  const pair = async () => {
    if (code.length !== PAIRING_CODE_DIGITS) {
      setProblem('tooShort');
      return;
    }
    setBusy(true);
    const result = await exchangePairingCode(code);
    setBusy(false);
    setCode('');
    if (result.ok) {
      onPaired(result.token);
      return;
    }
    setProblem(result.reason);
    if ('attemptsLeft' in result) setAttemptsLeft(result.attemptsLeft);
  };

  const message = (() => {
    switch (problem) {
      case null:
        return null;
      case 'tooShort':
        return t.pairing.tooShort(PAIRING_CODE_DIGITS);
      case 'wrong-code':
        return attemptsLeft === 0 ? t.pairing.refused.locked : t.pairing.wrong(attemptsLeft ?? 0);
      default:
        return t.pairing.refused[problem];
    }
  })();

  return (
    <Screen id="pairing" heading={t.pairing.heading}>
      <p className="lead">{t.pairing.instructions(PAIRING_CODE_DIGITS)}</p>
      <form
        className="split"
        onSubmit={(e) => {
          e.preventDefault();
          void pair();
        }}
      >
        <div className="panel">
          <label className="field-label" htmlFor="pairing-code">
            {t.pairing.label}
          </label>
          <input
            id="pairing-code"
            className="code-input"
            data-testid="pairing-code"
            inputMode="none"
            autoComplete="off"
            value={code}
            disabled={closed}
            aria-invalid={problem !== null}
            aria-describedby={message ? 'pairing-error' : undefined}
            onChange={(e) => edit(e.target.value)}
          />
          {message && (
            <p
              id="pairing-error"
              className="inline-error"
              role="alert"
              data-testid="pairing-error"
              data-reason={problem}
            >
              {message}
            </p>
          )}
        </div>
        <div className="panel">
          <Keypad
            label={t.pairing.label}
            disabled={closed || busy}
            onDigit={(d) => edit(code + d)}
            onDelete={() => edit(code.slice(0, -1))}
            extra="clear"
            onExtra={() => edit('')}
          />
        </div>
      </form>
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          data-testid="pair"
          disabled={busy || closed || code === ''}
          onClick={() => void pair()}
        >
          {busy ? t.pairing.pairing : t.pairing.pair}
        </button>
      </div>
    </Screen>
  );
}
