import { Countdown } from '../components/Countdown.tsx';
import { QrCode } from '../components/QrCode.tsx';
import { SaleButton } from '../components/SaleButton.tsx';
import { Screen } from '../components/Screen.tsx';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';
import type { SaleIn } from '../store/screen.ts';

/** The dynamic QR code of the payment request's pay page, with the time it has left. */
export function QrScreen({ sale }: { sale: SaleIn<'awaitingPayment'> }) {
  const t = useT();
  const { money } = useFormat();
  const merchantName = useKiosk((s) => s.kiosk?.merchantName ?? '');
  return (
    <Screen id="qr" heading={t.qr.heading} phase={sale.phase}>
      <div className="split">
        <QrCode url={sale.request.url} testId="qr-code" title={t.qr.codeTitle} />
        <div className="panel">
          <p className="merchant">{merchantName}</p>
          <p className="amount-display" data-testid="amount-display">
            {money(sale.order.amount, sale.order.currency)}
          </p>
          <p>{t.qr.instructions}</p>
          <Countdown expiresAt={sale.request.expiresAt} />
          <p
            className={`connection connection-${sale.connection}`}
            data-testid="connection"
            data-connection={sale.connection}
          >
            <span className="dot" aria-hidden="true" />
            {t.qr.connectionLabel}: {t.qr.connection[sale.connection]}
          </p>
          <div className="actions">
            <SaleButton command="sale.cancel" testId="cancel" look="danger" label={t.qr.cancel} />
          </div>
        </div>
      </div>
    </Screen>
  );
}
