import { useCommand } from '../components/hooks.ts';
import { Screen } from '../components/Screen.tsx';
import { useT } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';
import type { AttendantPage } from '../store/ui-slice.ts';

const PAGES = ['refund', 'journal', 'settings', 'devices'] as const satisfies AttendantPage[];

/** The attendant's menu, behind the PIN. */
export function AttendantScreen() {
  const t = useT();
  const run = useCommand();
  const openAttendant = useKiosk((s) => s.openAttendant);
  const resetUi = useKiosk((s) => s.resetUi);
  const lock = () => {
    // Leave at once; a failed lock still shows its error over the attract screen.
    resetUi();
    void run('attendant.lock', {});
  };
  return (
    <Screen id="attendant" heading={t.attendant.heading}>
      <div className="choices">
        {PAGES.map((page) => (
          <button
            key={page}
            type="button"
            className="choice"
            data-testid={`open-${page}`}
            onClick={() => openAttendant(page)}
          >
            <span className="choice-name">{t.attendant[page]}</span>
          </button>
        ))}
      </div>
      <div className="actions">
        <button type="button" className="button-danger" data-testid="lock" onClick={lock}>
          {t.attendant.lock}
        </button>
      </div>
    </Screen>
  );
}

/** The way back from an attendant page to the menu. */
export function BackToMenu() {
  const t = useT();
  const openAttendant = useKiosk((s) => s.openAttendant);
  return (
    <button
      type="button"
      className="button-secondary"
      data-testid="back-to-menu"
      onClick={() => openAttendant('menu')}
    >
      {t.attendant.back}
    </button>
  );
}
