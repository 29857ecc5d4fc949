import { AttendantButton } from '../components/AttendantButton.tsx';
import { QrCode } from '../components/QrCode.tsx';
import { Screen } from '../components/Screen.tsx';
import type { VendingView } from '../contract.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';

/**
 * "Scan to buy": the machine's static QR code (the same URL as the one printed on the machine),
 * the most an item costs, and how buying works. Staff reach their screens from the corner.
 */
export function VendingIdleScreen({
  vending,
  staticUrl,
}: {
  vending: VendingView;
  /** The static URL, known to be set. */
  staticUrl: string;
}) {
  const t = useT();
  const { money } = useFormat();
  const merchantName = useKiosk((s) => s.kiosk?.merchantName ?? '');
  return (
    <Screen id="vending-idle" heading={t.vending.idle.heading} phase={vending.phase}>
      <div className="split">
        <QrCode url={staticUrl} testId="vending-qr" title={t.vending.idle.codeTitle} />
        <div className="panel">
          <p className="merchant">{merchantName}</p>
          <p
            className="amount-display"
            data-testid="vending-max-price"
            data-amount={vending.maxPrice}
          >
            {t.vending.idle.upTo(money(vending.maxPrice, vending.currency))}
          </p>
          <p className="lead">{t.vending.idle.instructions}</p>
        </div>
      </div>
      <AttendantButton />
    </Screen>
  );
}
