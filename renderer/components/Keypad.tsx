import { useT } from '../i18n/i18n.tsx';
import type { Digit } from '../store/ui-slice.ts';
import { BackspaceKey, ClearKey, Key } from './Key.tsx';

const ROWS: Digit[][] = [
  ['1', '2', '3'],
  ['4', '5', '6'],
  ['7', '8', '9'],
];

/**
 * A digit keypad. The key left of 0 is "00" for amounts, or Clear for codes and PINs.
 */
export function Keypad({
  onDigit,
  onDelete,
  extra,
  onExtra,
  disabled = false,
  label,
}: {
  onDigit(digit: Digit): void;
  onDelete(): void;
  extra: 'doubleZero' | 'clear';
  onExtra(): void;
  disabled?: boolean;
  /** What the keypad types into, for assistive technology. */
  label: string;
}) {
  const t = useT();
  const digit = (d: Digit) => (
    <Key key={d} testId={`key-${d}`} disabled={disabled} onPress={() => onDigit(d)}>
      {d}
    </Key>
  );
  return (
    <div className="keypad" role="group" aria-label={label}>
      {ROWS.map((row) => row.map(digit))}
      {extra === 'doubleZero' ? (
        <Key testId="key-00" disabled={disabled} onPress={onExtra}>
          {t.keypad.doubleZero}
        </Key>
      ) : (
        <ClearKey disabled={disabled} onClear={onExtra} />
      )}
      {digit('0')}
      <BackspaceKey disabled={disabled} onDelete={onDelete} />
    </div>
  );
}
