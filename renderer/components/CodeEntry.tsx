import type { ReactNode } from 'react';
import { useBusy } from './hooks.ts';
import { Keypad } from './Keypad.tsx';
import { SaleButton } from './SaleButton.tsx';

export interface DigitEntryProps {
  inputId: string;
  testId: string;
  label: string;
  type?: 'password';
  value: string;
  maxLength: number;
  /** The digits as edited: digits only, at most `maxLength` of them. */
  onChange(value: string): void;
  /** What is wrong with the digits, shown under the field; `id` is also its test id. */
  error?: { id: string; text: string; reason?: string } | null;
  /** Shown under the error, e.g. how long the pad stays locked. */
  status?: ReactNode;
  /** The field, the keypad and the submit button. */
  disabled?: boolean;
  /** The keypad alone, e.g. also while the digits are being checked. */
  keypadDisabled?: boolean;
  /** A command is in flight or cannot be sent: the submit button waits. */
  busy: boolean;
  submitTestId: string;
  submitLabel: string;
  onSubmit(): void;
  /** The actions before the submit button (Cancel, Back). */
  secondary?: ReactNode;
}

/**
 * Digits typed in the field or on the keypad beside it (a pairing code, a PIN, a voucher's code),
 * what is wrong with them under the field, then the actions: `secondary`, and the button that
 * submits. The field keeps digits only. It reads no kiosk state, so the pairing screen, which has
 * none yet, uses it too.
 */
export function DigitEntry({
  inputId,
  testId,
  label,
  type,
  value,
  maxLength,
  onChange,
  error = null,
  status,
  disabled = false,
  keypadDisabled = disabled,
  busy,
  submitTestId,
  submitLabel,
  onSubmit,
  secondary,
}: DigitEntryProps) {
  const edit = (next: string) => onChange(next.replace(/[^0-9]/g, '').slice(0, maxLength));
  return (
    <>
      <form
        className="split"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <div className="panel">
          <label className="field-label" htmlFor={inputId}>
            {label}
          </label>
          {/* inputMode none: the on-screen keypad types here, no system keyboard pops up;
              a physical keyboard still works. */}
          <input
            id={inputId}
            className="code-input"
            data-testid={testId}
            type={type}
            inputMode="none"
            autoComplete="off"
            spellCheck={false}
            value={value}
            disabled={disabled}
            aria-invalid={error !== null}
            aria-describedby={error?.id}
            onChange={(e) => edit(e.target.value)}
          />
          {error && (
            <p
              id={error.id}
              className="inline-error"
              role="alert"
              data-testid={error.id}
              data-reason={error.reason}
            >
              {error.text}
            </p>
          )}
          {status}
        </div>
        <div className="panel">
          <Keypad
            label={label}
            disabled={keypadDisabled}
            onDigit={(d) => edit(value + d)}
            onDelete={() => edit(value.slice(0, -1))}
            extra="clear"
            onExtra={() => edit('')}
          />
        </div>
      </form>
      <div className="actions">
        {secondary}
        <button
          type="button"
          className="button-primary"
          data-testid={submitTestId}
          disabled={busy || disabled || value === ''}
          onClick={onSubmit}
        >
          {submitLabel}
        </button>
      </div>
    </>
  );
}

/**
 * A code the consumer pays with (a voucher's, or the digits under a barcode): a `DigitEntry` whose
 * actions are Cancel, which voids the sale, and the button that submits the code.
 */
export function CodeEntry({
  cancelLabel,
  ...entry
}: Omit<DigitEntryProps, 'busy' | 'submitTestId' | 'secondary'> & { cancelLabel: string }) {
  const busy = useBusy();
  return (
    <DigitEntry
      {...entry}
      busy={busy}
      submitTestId="submit"
      secondary={
        <SaleButton command="sale.cancel" testId="cancel" look="danger" label={cancelLabel} />
      }
    />
  );
}
