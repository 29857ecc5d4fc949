import { useBusy, useCommand } from '../components/hooks.ts';
import { Screen } from '../components/Screen.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

export function CancelledScreen({ sale }: { sale: SaleIn<'cancelled'> }) {
  const t = useT();
  const run = useCommand();
  const busy = useBusy();
  return (
    <Screen id="cancelled" heading={t.cancelled.heading} phase={sale.phase}>
      <p className="result-mark result-bad" aria-hidden="true" />
      <p className="lead" data-testid="cancel-reason" data-reason={sale.reason}>
        {t.cancelled.reasons[sale.reason]}
      </p>
      {sale.code && <p className="detail">{t.cancelled.code(sale.code)}</p>}
      {sale.request && (
        <p className="reference">
          {t.cancelled.reference}:{' '}
          <strong data-testid="short-code">{sale.request.shortCode}</strong>
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          data-testid="done"
          disabled={busy}
          onClick={() => void run('sale.dismiss', {})}
        >
          {t.cancelled.done}
        </button>
      </div>
    </Screen>
  );
}
