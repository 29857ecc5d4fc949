import { Countdown } from '../components/Countdown.tsx';
import { SaleButton } from '../components/SaleButton.tsx';
import { Screen } from '../components/Screen.tsx';
import { useFormat, useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

type Waiting = SaleIn<'creating' | 'paying' | 'checking' | 'cancelling' | 'awaitingPayment'>;

/**
 * The kiosk (or the consumer's wallet) is working: creating the request, redeeming a code,
 * taking a last look at the request, voiding, or waiting for the patron to approve in their
 * wallet.
 */
export function ProcessingScreen({ sale }: { sale: Waiting }) {
  const t = useT();
  const { money } = useFormat();
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
            <SaleButton
              command="sale.cancel"
              testId="cancel"
              look="danger"
              label={t.processing.cancel}
            />
          </div>
        </>
      )}
      {sale.phase === 'cancelling' && sale.retrying && (
        <>
          {/* The journal keeps the void pending and finishes it once the payment API answers,
              so the kiosk need not wait here for it. */}
          <p className="detail">{t.processing.leaveHint}</p>
          <div className="actions">
            <SaleButton
              command="sale.dismiss"
              testId="leave"
              look="secondary"
              label={t.processing.leave}
            />
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
    case 'checking':
      return t.processing.checking;
    case 'cancelling':
      return sale.retrying ? t.processing.cancellingRetrying : t.processing.cancelling;
    case 'awaitingPayment':
      return t.processing.approveInWallet;
  }
}
