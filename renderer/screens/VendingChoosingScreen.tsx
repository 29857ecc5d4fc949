import { Screen } from '../components/Screen.tsx';
import { VendingCancelActions } from '../components/VendingCancelActions.tsx';
import type { VendingView } from '../contract.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';

/** Paid: the credit is on the machine, and the consumer chooses there, or cancels here. */
export function VendingChoosingScreen({ vending }: { vending: VendingView }) {
  const t = useT();
  const { money } = useFormat();
  return (
    <Screen id="vending-choosing" heading={t.vending.choosing.heading} phase={vending.phase}>
      <p className="amount-display" data-testid="vending-credit" data-amount={vending.maxPrice}>
        {t.vending.choosing.credit(money(vending.maxPrice, vending.currency))}
      </p>
      <p className="lead" role="status">
        {t.vending.choosing.instructions}
      </p>
      <VendingCancelActions />
    </Screen>
  );
}
