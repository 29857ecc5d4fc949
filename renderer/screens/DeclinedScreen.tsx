import { useBusy, useCommand } from '../components/hooks.ts';
import { Screen } from '../components/Screen.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

export function DeclinedScreen({ sale }: { sale: SaleIn<'declined'> }) {
  const t = useT();
  const run = useCommand();
  const busy = useBusy();
  return (
    <Screen id="declined" heading={t.declined.heading} phase={sale.phase}>
      <p className="result-mark result-bad" aria-hidden="true" />
      <p className="lead" data-testid="decline-reason" data-reason={sale.reason}>
        {t.declined.reasons[sale.reason]}
      </p>
      <div className="actions">
        {sale.canRetry ? (
          <>
            {/* The request is still open: leaving voids it. */}
            <button
              type="button"
              className="button-danger"
              data-testid="cancel"
              disabled={busy}
              onClick={() => void run('sale.cancel', {})}
            >
              {t.declined.cancel}
            </button>
            <button
              type="button"
              className="button-primary"
              data-testid="retry"
              disabled={busy}
              onClick={() => void run('sale.retryCode', {})}
            >
              {t.declined.tryAnother}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button-primary"
            data-testid="done"
            disabled={busy}
            onClick={() => void run('sale.dismiss', {})}
          >
            {t.declined.done}
          </button>
        )}
      </div>
    </Screen>
  );
}
