import { useT } from '../i18n/i18n.tsx';
import { SHORT_CODE_ALPHABET } from '../short-code.ts';

/** The characters a receipt's short code can hold, as keys. */
export function CodeKeyboard({
  onKey,
  onDelete,
  onClear,
  disabled = false,
  label,
}: {
  onKey(character: string): void;
  onDelete(): void;
  onClear(): void;
  disabled?: boolean;
  label: string;
}) {
  const t = useT();
  return (
    <div className="code-keyboard" role="group" aria-label={label}>
      {[...SHORT_CODE_ALPHABET].map((c) => (
        <button
          key={c}
          type="button"
          className="key"
          data-testid={`key-${c}`}
          disabled={disabled}
          onClick={() => onKey(c)}
        >
          {c}
        </button>
      ))}
      <button
        type="button"
        className="key key-secondary key-wide"
        data-testid="key-clear"
        disabled={disabled}
        onClick={onClear}
      >
        {t.keypad.clear}
      </button>
      <button
        type="button"
        className="key key-secondary key-wide"
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
