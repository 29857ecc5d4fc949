import { AttendantButton } from '../components/AttendantButton.tsx';
import { Screen } from '../components/Screen.tsx';
import { useT } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';

/** The attract screen: the whole screen starts a sale; a small button leads to the attendant. */
export function IdleScreen() {
  const t = useT();
  const merchantName = useKiosk((s) => s.kiosk?.merchantName ?? '');
  const beginSale = useKiosk((s) => s.beginSale);
  return (
    <Screen id="idle" heading={merchantName || t.idle.heading}>
      <button type="button" className="attract" data-testid="start" onClick={beginSale}>
        {t.idle.tapToStart}
      </button>
      <AttendantButton />
    </Screen>
  );
}
