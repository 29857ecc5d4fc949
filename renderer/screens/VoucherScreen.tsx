import { useState } from 'react';
import { useBusy, useCommand } from '../components/hooks.ts';
import { Keypad } from '../components/Keypad.tsx';
import { Screen } from '../components/Screen.tsx';
import { useFormat, useT } from '../i18n/i18n.tsx';
import type { SaleIn } from '../store/screen.ts';

const MAX_CODE_LENGTH = 64;

/** The consumer types a voucher code on the on-screen keypad. */
export function VoucherScreen({ sale }: { sale: SaleIn<'awaitingPayment'> }) {
  const t = useT();
  const { money } = useFormat();
  const run = useCommand();
  const busy = useBusy();
  const [code, setCode] = useState('');
  const type = (digits: string) => setCode((c) => (c + digits).slice(0, MAX_CODE_LENGTH));
  const submit = () => {
    if (code) void run('sale.submitVoucher', { code });
  };
  return (
    <Screen id="voucher" heading={t.voucher.heading} phase={sale.phase}>
      <p className="amount-display" data-testid="amount-display">
        {money(sale.order.amount, sale.order.currency)}
      </p>
      <form
        className="split"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="panel">
          <label className="field-label" htmlFor="voucher-code">
            {t.voucher.codeLabel}
          </label>
          {/* inputMode none: the on-screen keypad types here, no system keyboard pops up;
              a physical keyboard still works. */}
          <input
            id="voucher-code"
            className="code-input"
            data-testid="voucher-code"
            inputMode="none"
            autoComplete="off"
            spellCheck={false}
            value={code}
            onChange={(e) =>
              setCode(e.target.value.replace(/[^0-9]/g, '').slice(0, MAX_CODE_LENGTH))
            }
          />
        </div>
        <div className="panel">
          <Keypad
            label={t.voucher.codeLabel}
            onDigit={type}
            onDelete={() => setCode((c) => c.slice(0, -1))}
            extra="clear"
            onExtra={() => setCode('')}
          />
        </div>
      </form>
      <div className="actions">
        <button
          type="button"
          className="button-danger"
          data-testid="cancel"
          disabled={busy}
          onClick={() => void run('sale.cancel', {})}
        >
          {t.voucher.cancel}
        </button>
        <button
          type="button"
          className="button-primary"
          data-testid="submit"
          disabled={busy || code === ''}
          onClick={submit}
        >
          {t.voucher.submit}
        </button>
      </div>
    </Screen>
  );
}
