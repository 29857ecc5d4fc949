import type { VendingView } from '../contract.ts';
import { assertNever } from '../store/screen.ts';
import { VendingChoosingScreen } from './VendingChoosingScreen.tsx';
import { VendingDoneScreen } from './VendingDoneScreen.tsx';
import { VendingIdleScreen } from './VendingIdleScreen.tsx';
import { VendingOutOfServiceScreen } from './VendingOutOfServiceScreen.tsx';
import { VendingPaymentScreen } from './VendingPaymentScreen.tsx';
import { VendingProgressScreen } from './VendingProgressScreen.tsx';

/** The vending machine's screen; the same mapping as vendingScreen() in store/screen.ts. */
export function VendingScreen({ vending }: { vending: VendingView }) {
  const { staticUrl, outcome } = vending;
  switch (vending.phase) {
    case 'idle':
      if (staticUrl === null) return <VendingOutOfServiceScreen reason="not-set-up" />;
      if (!vending.readerAvailable)
        return <VendingOutOfServiceScreen reason="reader-unavailable" />;
      return <VendingIdleScreen vending={vending} staticUrl={staticUrl} />;
    case 'awaitingPayment':
      return <VendingPaymentScreen vending={vending} />;
    case 'choosing':
      return <VendingChoosingScreen vending={vending} />;
    case 'startingSession':
    case 'vending':
    case 'settling':
      return <VendingProgressScreen vending={vending} phase={vending.phase} />;
    case 'done':
      return outcome ? (
        <VendingDoneScreen vending={vending} outcome={outcome} />
      ) : (
        <VendingProgressScreen vending={vending} phase="settling" />
      );
    default:
      return assertNever(vending.phase);
  }
}
