import { useT } from '../i18n/i18n.tsx';
import { SaleButton } from './SaleButton.tsx';

/** Cancel, while the consumer has not chosen yet: whatever was paid or held is given back. */
export function VendingCancelActions() {
  const t = useT();
  return (
    <div className="actions">
      <SaleButton
        command="vending.cancel"
        testId="vending-cancel"
        look="danger"
        label={t.vending.cancel}
      />
    </div>
  );
}
