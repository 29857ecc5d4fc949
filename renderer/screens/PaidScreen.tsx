import { DoneButton, ResultReference, ResultScreen } from '../components/ResultScreen.tsx';
import { useFormat, useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

export function PaidScreen({ sale }: { sale: SaleIn<'paid'> }) {
  const t = useT();
  const { money } = useFormat();
  return (
    <ResultScreen
      id="paid"
      phase={sale.phase}
      ok
      heading={t.paid.heading}
      actions={<DoneButton label={t.paid.done} />}
    >
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
      <ResultReference label={t.paid.reference} shortCode={sale.request.shortCode} />
    </ResultScreen>
  );
}
