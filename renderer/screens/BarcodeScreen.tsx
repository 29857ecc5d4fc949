import { useState } from 'react';
import { CodeEntry } from '../components/CodeEntry.tsx';
import { useCommand } from '../components/hooks.ts';
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
  const [digits, setDigits] = useState('');
  const [problem, setProblem] = useState<Exclude<PatronBarcodeCheck, 'valid'> | null>(null);

  const edit = (next: string) => {
    setDigits(next);
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
      <CodeEntry
        inputId="barcode-digits"
        testId="barcode-input"
        label={t.barcode.codeLabel}
        value={digits}
        maxLength={PATRON_BARCODE_LENGTH}
        onChange={edit}
        error={
          problem && {
            id: 'barcode-error',
            text: problem === 'wrong-length' ? t.barcode.wrongLength : t.barcode.badCheckDigit,
          }
        }
        cancelLabel={t.barcode.cancel}
        submitLabel={t.barcode.submit}
        onSubmit={submit}
      />
    </Screen>
  );
}
