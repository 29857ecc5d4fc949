import { Countdown } from '../components/Countdown.tsx';
import { Screen } from '../components/Screen.tsx';
import { VendingCancelActions } from '../components/VendingCancelActions.tsx';
import type { VendingView } from '../contract.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';

/**
 * Someone opened the static URL: the payment for the machine's highest price is being made on
 * their phone. The time it has left shows once the payment request exists.
 */
export function VendingPaymentScreen({ vending }: { vending: VendingView }) {
  const t = useT();
  const { money } = useFormat();
  return (
    <Screen
      id="vending-awaitingPayment"
      heading={t.vending.awaitingPayment.heading}
      phase={vending.phase}
    >
      <p className="amount-display" data-testid="amount-display" data-amount={vending.maxPrice}>
        {money(vending.maxPrice, vending.currency)}
      </p>
      <div className="spinner" aria-hidden="true" />
      <p className="lead" role="status">
        {t.vending.awaitingPayment.instructions}
      </p>
      {vending.request && <Countdown expiresAt={vending.request.expiresAt} />}
      <VendingCancelActions />
    </Screen>
  );
}
