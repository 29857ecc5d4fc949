import { Countdown } from '../components/Countdown.tsx';
import { useBusy, useCommand } from '../components/hooks.ts';
import { Screen } from '../components/Screen.tsx';
import { useFormat, useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

type Waiting = SaleIn<'creating' | 'paying' | 'cancelling' | 'awaitingPayment'>;

/**
 * The kiosk (or the consumer's wallet) is working: creating the request, redeeming a code,
 * voiding, or waiting for the patron to approve in their wallet.
 */
export function ProcessingScreen({ sale }: { sale: Waiting }) {
  const t = useT();
  const { money } = useFormat();
  const run = useCommand();
  const busy = useBusy();
  return (
    <Screen id="processing" heading={t.processing.heading} phase={sale.phase}>
      <p className="amount-display" data-testid="amount-display">
        {money(sale.order.amount, sale.order.currency)}
      </p>
      <div className="spinner" aria-hidden="true" />
      <p className="lead" role="status" data-testid="processing-message">
        {message(t, sale)}
      </p>
      {sale.phase === 'awaitingPayment' && (
        <>
          <Countdown expiresAt={sale.request.expiresAt} />
          <div className="actions">
            <button
              type="button"
              className="button-danger"
              data-testid="cancel"
              disabled={busy}
              onClick={() => void run('sale.cancel', {})}
            >
              {t.processing.cancel}
            </button>
          </div>
        </>
      )}
    </Screen>
  );
}

function message(t: ReturnType<typeof useT>, sale: Waiting): string {
  switch (sale.phase) {
    case 'creating':
      return t.processing.creating;
    case 'paying':
      return t.processing.paying;
    case 'cancelling':
      return sale.retrying ? t.processing.cancellingRetrying : t.processing.cancelling;
    case 'awaitingPayment':
      return t.processing.approveInWallet;
  }
}
