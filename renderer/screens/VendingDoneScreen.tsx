import { ResultReference, ResultScreen } from '../components/ResultScreen.tsx';
import { SaleButton } from '../components/SaleButton.tsx';
import type { VendingView } from '../contract.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';

/**
 * How the session ended: what was charged (only a vended item is) and what came back, why when
 * nothing was vended, and whether the consumer must wait for a refund or fetch staff.
 */
export function VendingDoneScreen({
  vending,
  outcome,
}: {
  vending: VendingView;
  outcome: NonNullable<VendingView['outcome']>;
}) {
  const t = useT();
  const { money } = useFormat();
  const vended = outcome.reason === 'vended';
  const returned = money(outcome.returned, vending.currency);
  return (
    <ResultScreen
      id="vending-done"
      phase={vending.phase}
      ok={vended}
      heading={vended ? t.vending.done.vendedHeading : t.vending.done.notChargedHeading}
      actions={
        <SaleButton
          command="vending.dismiss"
          testId="vending-done"
          look="primary"
          label={t.vending.done.done}
        />
      }
    >
      {vended && (
        <p className="amount-display" data-testid="vending-charged" data-amount={outcome.charged}>
          {t.vending.done.charged(money(outcome.charged, vending.currency))}
        </p>
      )}
      <p className="lead" data-testid="vending-reason" data-reason={outcome.reason}>
        {t.vending.done.reasons[outcome.reason]}
      </p>
      {outcome.returned > 0 && (
        <p
          className="lead"
          data-testid="vending-returned"
          data-amount={outcome.returned}
          data-pending={outcome.pending}
        >
          {outcome.pending
            ? t.vending.done.refundOnItsWay(returned)
            : t.vending.done.returned(returned)}
        </p>
      )}
      {outcome.refused && (
        <p className="lead inline-error" data-testid="vending-contact-staff">
          {t.vending.done.contactStaff}
        </p>
      )}
      {vending.request && (
        <ResultReference label={t.vending.done.reference} shortCode={vending.request.shortCode} />
      )}
    </ResultScreen>
  );
}
