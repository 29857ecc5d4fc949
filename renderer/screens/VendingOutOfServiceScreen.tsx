import { AttendantButton } from '../components/AttendantButton.tsx';
import { Screen } from '../components/Screen.tsx';
import { useT } from '../i18n/i18n.tsx';

/**
 * The idle machine cannot take a payment: it has no static URL yet, or no cashless reader that
 * answers. No QR code, so nobody pays for a session that cannot start; staff still get in.
 */
export function VendingOutOfServiceScreen({
  reason,
}: {
  reason: 'not-set-up' | 'reader-unavailable';
}) {
  const t = useT();
  return (
    <Screen id="vending-out-of-service" heading={t.vending.outOfService.heading} phase="idle">
      <p className="result-mark result-bad" aria-hidden="true" />
      <p className="lead" data-testid="out-of-service-reason" data-reason={reason}>
        {t.vending.outOfService.reasons[reason]}
      </p>
      <p className="detail">{t.vending.outOfService.sorry}</p>
      <AttendantButton />
    </Screen>
  );
}
