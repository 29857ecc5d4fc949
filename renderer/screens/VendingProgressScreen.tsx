import { Screen } from '../components/Screen.tsx';
import type { VendingView } from '../contract.ts';
import type { Catalogue } from '../i18n/en.ts';
import { useFormat, useT, type Formatters } from '../i18n/i18n.tsx';

type Busy = 'startingSession' | 'vending' | 'settling';

/** One line of what the kiosk is doing; an amount also goes in `data-amount` (minor units). */
interface Line {
  text: string;
  testId?: string;
  amount?: number;
}

/**
 * The kiosk and the machine are working, and nothing is asked of the consumer: the machine is
 * being given the credit, an item is being vended, or the item's price is being charged and the
 * rest given back (or everything given back).
 */
export function VendingProgressScreen({ vending, phase }: { vending: VendingView; phase: Busy }) {
  const t = useT();
  const { money } = useFormat();
  return (
    <Screen id={`vending-${phase}`} heading={t.vending[phase].heading} phase={vending.phase}>
      <div className="spinner" aria-hidden="true" />
      <div className="status-lines" role="status">
        {lines(t, money, vending, phase).map((line) => (
          <p key={line.text} className="lead" data-testid={line.testId} data-amount={line.amount}>
            {line.text}
          </p>
        ))}
      </div>
    </Screen>
  );
}

function lines(
  t: Catalogue,
  money: Formatters['money'],
  vending: VendingView,
  phase: Busy,
): Line[] {
  const { vend, currency } = vending;
  switch (phase) {
    case 'startingSession':
      return [{ text: t.vending.startingSession.message }];
    case 'vending':
      if (!vend) return [{ text: t.vending.vending.noItem }];
      return [
        {
          text: t.vending.vending.item(vend.item, money(vend.price, currency)),
          testId: 'vending-item',
          amount: vend.price,
        },
      ];
    case 'settling': {
      if (vend?.result !== 'succeeded') return [{ text: t.vending.settling.returningAll }];
      const rest = vending.maxPrice - vend.price;
      const charging: Line = {
        text: t.vending.settling.charging(money(vend.price, currency)),
        testId: 'vending-charged',
        amount: vend.price,
      };
      if (rest <= 0) return [charging];
      return [
        charging,
        {
          text: t.vending.settling.returning(money(rest, currency)),
          testId: 'vending-returned',
          amount: rest,
        },
      ];
    }
  }
}
