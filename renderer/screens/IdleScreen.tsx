import { Screen } from '../components/Screen.tsx';
import { useT } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';

/** The attract screen: the whole screen starts a sale; a small button leads to the attendant. */
export function IdleScreen() {
  const t = useT();
  const merchantName = useKiosk((s) => s.kiosk?.merchantName ?? '');
  const unlocked = useKiosk((s) => s.kiosk?.attendant.unlocked ?? false);
  const beginSale = useKiosk((s) => s.beginSale);
  const openAttendant = useKiosk((s) => s.openAttendant);
  return (
    <Screen id="idle" heading={merchantName || t.idle.heading}>
      <button type="button" className="attract" data-testid="start" onClick={beginSale}>
        {t.idle.tapToStart}
      </button>
      <div className="corner">
        <button
          type="button"
          className="button-quiet"
          data-testid="attendant-button"
          onClick={() => openAttendant(unlocked ? 'menu' : 'pin')}
        >
          {t.idle.attendant}
        </button>
      </div>
    </Screen>
  );
}
