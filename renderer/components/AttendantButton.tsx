import { useT } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';

/**
 * The small corner button of the screens a passer-by sees at rest: the attendant's PIN, or
 * straight to the menu while an attendant is signed in.
 */
export function AttendantButton() {
  const t = useT();
  const unlocked = useKiosk((s) => s.kiosk?.attendant.unlocked ?? false);
  const openAttendant = useKiosk((s) => s.openAttendant);
  return (
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
  );
}
