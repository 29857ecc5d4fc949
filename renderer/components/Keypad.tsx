import { useT } from '../i18n/i18n.tsx';
import type { Digit } from '../store/ui-slice.ts';

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
    <button
      key={d}
      type="button"
      className="key"
      data-testid={`key-${d}`}
      disabled={disabled}
      onClick={() => onDigit(d)}
    >
      {d}
    </button>
  );
  return (
    <div className="keypad" role="group" aria-label={label}>
      {ROWS.map((row) => row.map(digit))}
      {extra === 'doubleZero' ? (
        <button
          type="button"
          className="key"
          data-testid="key-00"
          disabled={disabled}
          onClick={onExtra}
        >
          {t.keypad.doubleZero}
        </button>
      ) : (
        <button
          type="button"
          className="key key-secondary"
          data-testid="key-clear"
          disabled={disabled}
          onClick={onExtra}
        >
          {t.keypad.clear}
        </button>
      )}
      {digit('0')}
      <button
        type="button"
        className="key key-secondary"
        data-testid="key-backspace"
        aria-label={t.keypad.backspace}
        disabled={disabled}
        onClick={onDelete}
      >
        <span aria-hidden="true">{t.keypad.backspaceSymbol}</span>
      </button>
    </div>
  );
}
