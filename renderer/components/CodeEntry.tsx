import { useBusy } from './hooks.ts';
import { Keypad } from './Keypad.tsx';
import { SaleButton } from './SaleButton.tsx';

/**
 * A code the consumer pays with (a voucher's, or the digits under a barcode): the field beside
 * the keypad, then Cancel, which voids the sale, and the button that submits the code. The field
 * keeps digits only.
 */
export function CodeEntry({
  inputId,
  testId,
  label,
  value,
  maxLength,
  onChange,
  error = null,
  cancelLabel,
  submitLabel,
  onSubmit,
}: {
  inputId: string;
  testId: string;
  label: string;
  value: string;
  maxLength: number;
  /** The code as edited: digits only, at most `maxLength` of them. */
  onChange(value: string): void;
  /** What is wrong with the code, shown under the field; `id` is also its test id. */
  error?: { id: string; text: string } | null;
  cancelLabel: string;
  submitLabel: string;
  onSubmit(): void;
}) {
  const busy = useBusy();
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
            inputMode="none"
            autoComplete="off"
            spellCheck={false}
            value={value}
            aria-invalid={error !== null}
            aria-describedby={error?.id}
            onChange={(e) => edit(e.target.value)}
          />
          {error && (
            <p id={error.id} className="inline-error" role="alert" data-testid={error.id}>
              {error.text}
            </p>
          )}
        </div>
        <div className="panel">
          <Keypad
            label={label}
            onDigit={(d) => edit(value + d)}
            onDelete={() => edit(value.slice(0, -1))}
            extra="clear"
            onExtra={() => edit('')}
          />
        </div>
      </form>
      <div className="actions">
        <SaleButton command="sale.cancel" testId="cancel" look="danger" label={cancelLabel} />
        <button
          type="button"
          className="button-primary"
          data-testid="submit"
          disabled={busy || value === ''}
          onClick={onSubmit}
        >
          {submitLabel}
        </button>
      </div>
    </>
  );
}
