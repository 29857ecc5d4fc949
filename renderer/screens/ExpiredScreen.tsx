import { DoneButton, ResultScreen } from '../components/ResultScreen.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

export function ExpiredScreen({ sale }: { sale: SaleIn<'expired'> }) {
  const t = useT();
  return (
    <ResultScreen
      id="expired"
      phase={sale.phase}
      ok={false}
      heading={t.expired.heading}
      actions={<DoneButton label={t.expired.done} />}
    >
      <p className="lead">{t.expired.body}</p>
    </ResultScreen>
  );
}
