import { useState } from 'react';
import { exchangePairingCode, type PairingResult } from '../bridge/pairing.ts';
import { DigitEntry } from '../components/CodeEntry.tsx';
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
    setCode(next);
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
      <DigitEntry
        inputId="pairing-code"
        testId="pairing-code"
        label={t.pairing.label}
        value={code}
        maxLength={PAIRING_CODE_DIGITS}
        onChange={edit}
        error={
          message ? { id: 'pairing-error', text: message, reason: problem ?? undefined } : null
        }
        disabled={closed}
        keypadDisabled={closed || busy}
        busy={busy}
        submitTestId="pair"
        submitLabel={busy ? t.pairing.pairing : t.pairing.pair}
        onSubmit={() => void pair()}
      />
    </Screen>
  );
}
