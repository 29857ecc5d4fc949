import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';

/** One key of an on-screen keypad or keyboard. */
export function Key({
  testId,
  secondary = false,
  wide = false,
  label,
  disabled,
  onPress,
  children,
}: {
  testId: string;
  /** An editing key (Clear, delete) rather than a character. */
  secondary?: boolean;
  /** Twice as wide, on the short-code keyboard. */
  wide?: boolean;
  /** For a key whose face is a symbol. */
  label?: string;
  disabled: boolean;
  onPress(): void;
  children: ReactNode;
}) {
  const className = `key${secondary ? ' key-secondary' : ''}${wide ? ' key-wide' : ''}`;
  return (
    <button
      type="button"
      className={className}
      data-testid={testId}
      aria-label={label}
      disabled={disabled}
      onClick={onPress}
    >
      {children}
    </button>
  );
}

/** Empties what the keys typed. */
export function ClearKey({
  onClear,
  disabled,
  wide,
}: {
  onClear(): void;
  disabled: boolean;
  wide?: boolean;
}) {
  const t = useT();
  return (
    <Key testId="key-clear" secondary wide={wide} disabled={disabled} onPress={onClear}>
      {t.keypad.clear}
    </Key>
  );
}

/** Deletes the last character typed. */
export function BackspaceKey({
  onDelete,
  disabled,
  wide,
}: {
  onDelete(): void;
  disabled: boolean;
  wide?: boolean;
}) {
  const t = useT();
  return (
    <Key
      testId="key-backspace"
      secondary
      wide={wide}
      label={t.keypad.backspace}
      disabled={disabled}
      onPress={onDelete}
    >
      <span aria-hidden="true">{t.keypad.backspaceSymbol}</span>
    </Key>
  );
}
