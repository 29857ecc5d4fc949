import { useBusy, useCommand } from '../components/hooks.ts';
import { Screen } from '../components/Screen.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

export function ExpiredScreen({ sale }: { sale: SaleIn<'expired'> }) {
  const t = useT();
  const run = useCommand();
  const busy = useBusy();
  return (
    <Screen id="expired" heading={t.expired.heading} phase={sale.phase}>
      <p className="result-mark result-bad" aria-hidden="true" />
      <p className="lead">{t.expired.body}</p>
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          data-testid="done"
          disabled={busy}
          onClick={() => void run('sale.dismiss', {})}
        >
          {t.expired.done}
        </button>
      </div>
    </Screen>
  );
}
