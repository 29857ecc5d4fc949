import { DoneButton, ResultScreen } from '../components/ResultScreen.tsx';
import { SaleButton } from '../components/SaleButton.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

export function DeclinedScreen({ sale }: { sale: SaleIn<'declined'> }) {
  const t = useT();
  return (
    <ResultScreen
      id="declined"
      phase={sale.phase}
      ok={false}
      heading={t.declined.heading}
      actions={
        sale.canRetry ? (
          <>
            {/* The request is still open: leaving voids it. */}
            <SaleButton
              command="sale.cancel"
              testId="cancel"
              look="danger"
              label={t.declined.cancel}
            />
            <SaleButton
              command="sale.retryCode"
              testId="retry"
              look="primary"
              label={t.declined.tryAnother}
            />
          </>
        ) : (
          <DoneButton label={t.declined.done} />
        )
      }
    >
      <p className="lead" data-testid="decline-reason" data-reason={sale.reason}>
        {t.declined.reasons[sale.reason]}
      </p>
    </ResultScreen>
  );
}
