import { useBusy, useCommand } from '../components/hooks.ts';
import { Screen } from '../components/Screen.tsx';
import { useFormat, useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

export function PaidScreen({ sale }: { sale: SaleIn<'paid'> }) {
  const t = useT();
  const { money } = useFormat();
  const run = useCommand();
  const busy = useBusy();
  return (
    <Screen id="paid" heading={t.paid.heading} phase={sale.phase}>
      <p className="result-mark result-ok" aria-hidden="true" />
      <p className="amount-display" data-testid="amount-display">
        {money(sale.order.amount, sale.order.currency)}
      </p>
      <p className="lead">{t.paid.thanks}</p>
      {sale.paidBy.length > 0 && (
        <>
          <h2>{t.paid.paidWith}</h2>
          <ul className="paid-by" data-testid="paid-by">
            {sale.paidBy.map((line, i) => (
              <li key={i}>
                <span>{line.description}</span> <span>{money(line.amount, line.currency)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="reference">
        {t.paid.reference}: <strong data-testid="short-code">{sale.request.shortCode}</strong>
      </p>
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          data-testid="done"
          disabled={busy}
          onClick={() => void run('sale.dismiss', {})}
        >
          {t.paid.done}
        </button>
      </div>
    </Screen>
  );
}
