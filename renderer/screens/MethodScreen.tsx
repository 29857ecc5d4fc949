import { useBusy, useCommand } from '../components/hooks.ts';
import { Screen } from '../components/Screen.tsx';
import type { PaymentMethod } from '../contract.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';

const METHODS: PaymentMethod[] = ['qr', 'voucher', 'barcode'];

/** How the customer pays; choosing one starts the sale. */
export function MethodScreen() {
  const t = useT();
  const { money } = useFormat();
  const run = useCommand();
  const busy = useBusy();
  const amount = useKiosk((s) => s.amount);
  const currency = useKiosk((s) => s.kiosk?.currency ?? 'NZD');
  const chosen = useKiosk((s) => s.method);
  const chooseMethod = useKiosk((s) => s.chooseMethod);
  const backToAmount = useKiosk((s) => s.backToAmount);

  const start = (method: PaymentMethod) => {
    chooseMethod(method);
    void run('sale.start', { amount, method });
  };

  return (
    <Screen id="method" heading={t.method.heading}>
      <p className="amount-display" data-testid="amount-display">
        {t.method.toPay(money(amount, currency))}
      </p>
      <div className="choices">
        {METHODS.map((method) => (
          <button
            key={method}
            type="button"
            className="choice"
            data-testid={`method-${method}`}
            data-chosen={chosen === method || undefined}
            disabled={busy}
            onClick={() => start(method)}
          >
            <span className="choice-name">{t.method.names[method]}</span>
            <span className="choice-hint">{t.method.hints[method]}</span>
          </button>
        ))}
      </div>
      <div className="actions">
        <button
          type="button"
          className="button-secondary"
          data-testid="back"
          disabled={busy}
          onClick={backToAmount}
        >
          {t.method.back}
        </button>
      </div>
    </Screen>
  );
}
