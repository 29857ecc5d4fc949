import { Keypad } from '../components/Keypad.tsx';
import { Screen } from '../components/Screen.tsx';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';

/** The attendant keys the amount, till style: digits enter from the right. */
export function AmountScreen() {
  const t = useT();
  const { money } = useFormat();
  const amount = useKiosk((s) => s.amount);
  const currency = useKiosk((s) => s.kiosk?.currency ?? 'NZD');
  const keyDigit = useKiosk((s) => s.keyDigit);
  const keyDoubleZero = useKiosk((s) => s.keyDoubleZero);
  const deleteDigit = useKiosk((s) => s.deleteDigit);
  const clearAmount = useKiosk((s) => s.clearAmount);
  const confirmAmount = useKiosk((s) => s.confirmAmount);
  const resetUi = useKiosk((s) => s.resetUi);
  return (
    <Screen id="amount" heading={t.amount.heading}>
      <div className="split">
        <div className="panel">
          <p className="field-label" id="amount-label">
            {t.amount.label}
          </p>
          <output
            className="amount-display"
            data-testid="amount-display"
            aria-labelledby="amount-label"
          >
            {money(amount, currency)}
          </output>
        </div>
        <div className="panel">
          <Keypad
            label={t.amount.label}
            onDigit={keyDigit}
            onDelete={deleteDigit}
            extra="doubleZero"
            onExtra={keyDoubleZero}
          />
        </div>
      </div>
      <div className="actions">
        <button type="button" className="button-secondary" data-testid="back" onClick={resetUi}>
          {t.amount.back}
        </button>
        <button
          type="button"
          className="button-secondary"
          data-testid="clear"
          onClick={clearAmount}
        >
          {t.keypad.clear}
        </button>
        <button
          type="button"
          className="button-primary"
          data-testid="next"
          disabled={amount === 0}
          onClick={confirmAmount}
        >
          {t.amount.next}
        </button>
      </div>
    </Screen>
  );
}
