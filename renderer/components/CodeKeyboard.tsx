import { SHORT_CODE_ALPHABET } from '../short-code.ts';
import { BackspaceKey, ClearKey, Key } from './Key.tsx';

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
  return (
    <div className="code-keyboard" role="group" aria-label={label}>
      {[...SHORT_CODE_ALPHABET].map((c) => (
        <Key key={c} testId={`key-${c}`} disabled={disabled} onPress={() => onKey(c)}>
          {c}
        </Key>
      ))}
      <ClearKey wide disabled={disabled} onClear={onClear} />
      <BackspaceKey wide disabled={disabled} onDelete={onDelete} />
    </div>
  );
}
