import { useState } from 'react';
import { CodeEntry } from '../components/CodeEntry.tsx';
import { useCommand } from '../components/hooks.ts';
import { Screen } from '../components/Screen.tsx';
import { useFormat, useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

const MAX_CODE_LENGTH = 64;

/** The consumer types a voucher code on the on-screen keypad. */
export function VoucherScreen({ sale }: { sale: SaleIn<'awaitingPayment'> }) {
  const t = useT();
  const { money } = useFormat();
  const run = useCommand();
  const [code, setCode] = useState('');
  const submit = () => {
    if (code) void run('sale.submitVoucher', { code });
  };
  return (
    <Screen id="voucher" heading={t.voucher.heading} phase={sale.phase}>
      <p className="amount-display" data-testid="amount-display">
        {money(sale.order.amount, sale.order.currency)}
      </p>
      <CodeEntry
        inputId="voucher-code"
        testId="voucher-code"
        label={t.voucher.codeLabel}
        value={code}
        maxLength={MAX_CODE_LENGTH}
        onChange={setCode}
        cancelLabel={t.voucher.cancel}
        submitLabel={t.voucher.submit}
        onSubmit={submit}
      />
    </Screen>
  );
}
