import { DoneButton, ResultReference, ResultScreen } from '../components/ResultScreen.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

/**
 * The sale ended unpaid; or, when the payment API refused the void (`void-refused`), it may
 * still be paid: the screen says so, with the reference and the code staff need to look it up.
 */
export function CancelledScreen({ sale }: { sale: SaleIn<'cancelled'> }) {
  const t = useT();
  const notCancelled = sale.reason === 'void-refused';
  return (
    <ResultScreen
      id="cancelled"
      phase={sale.phase}
      ok={false}
      heading={notCancelled ? t.cancelled.notCancelledHeading : t.cancelled.heading}
      actions={<DoneButton label={t.cancelled.done} />}
    >
      <p className="lead" data-testid="cancel-reason" data-reason={sale.reason}>
        {t.cancelled.reasons[sale.reason]}
      </p>
      {sale.code && <p className="detail">{t.cancelled.code(sale.code)}</p>}
      {sale.request && (
        <ResultReference label={t.cancelled.reference} shortCode={sale.request.shortCode} />
      )}
    </ResultScreen>
  );
}
