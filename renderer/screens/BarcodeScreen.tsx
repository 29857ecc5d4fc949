import { useState } from 'react';
import { useBusy, useCommand } from '../components/hooks.ts';
import { Keypad } from '../components/Keypad.tsx';
import { Screen } from '../components/Screen.tsx';
import { useFormat, useT } from '../i18n/i18n.tsx';
import {
  checkPatronBarcode,
  PATRON_BARCODE_LENGTH,
  type PatronBarcodeCheck,
} from '../../terminal/contract/patron-barcode.ts';
import type { SaleIn } from '../store/screen.ts';

/**
 * Waiting for the wallet's one-time barcode: the scanner sends its reads to the terminal by
 * itself; the 16 digits can also be typed, and are checked (Luhn) before anything is sent.
 */
export function BarcodeScreen({ sale }: { sale: SaleIn<'awaitingBarcode'> }) {
  const t = useT();
  const { money } = useFormat();
  const run = useCommand();
  const busy = useBusy();
  const [digits, setDigits] = useState('');
  const [problem, setProblem] = useState<Exclude<PatronBarcodeCheck, 'valid'> | null>(null);

  const edit = (next: string) => {
    setDigits(next.replace(/[^0-9]/g, '').slice(0, PATRON_BARCODE_LENGTH));
    setProblem(null);
  };
  const submit = () => {
    const check = checkPatronBarcode(digits);
    if (check !== 'valid') {
      setProblem(check);
      return;
    }
    void run('sale.submitBarcode', { barcode: digits });
  };

  return (
    <Screen id="barcode" heading={t.barcode.heading} phase={sale.phase}>
      <p className="amount-display" data-testid="amount-display">
        {money(sale.order.amount, sale.order.currency)}
      </p>
      <p className="lead">{t.barcode.instructions}</p>
      <h2>{t.barcode.manualHeading}</h2>
      <form
        className="split"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="panel">
          <label className="field-label" htmlFor="barcode-digits">
            {t.barcode.codeLabel}
          </label>
          <input
            id="barcode-digits"
            className="code-input"
            data-testid="barcode-input"
            inputMode="none"
            autoComplete="off"
            spellCheck={false}
            value={digits}
            aria-invalid={problem !== null}
            aria-describedby={problem ? 'barcode-error' : undefined}
            onChange={(e) => edit(e.target.value)}
          />
          {problem && (
            <p id="barcode-error" className="inline-error" role="alert" data-testid="barcode-error">
              {problem === 'wrong-length' ? t.barcode.wrongLength : t.barcode.badCheckDigit}
            </p>
          )}
        </div>
        <div className="panel">
          <Keypad
            label={t.barcode.codeLabel}
            onDigit={(d) => edit(digits + d)}
            onDelete={() => edit(digits.slice(0, -1))}
            extra="clear"
            onExtra={() => edit('')}
          />
        </div>
      </form>
      <div className="actions">
        <button
          type="button"
          className="button-danger"
          data-testid="cancel"
          disabled={busy}
          onClick={() => void run('sale.cancel', {})}
        >
          {t.barcode.cancel}
        </button>
        <button
          type="button"
          className="button-primary"
          data-testid="submit"
          disabled={busy || digits === ''}
          onClick={submit}
        >
          {t.barcode.submit}
        </button>
      </div>
    </Screen>
  );
}
