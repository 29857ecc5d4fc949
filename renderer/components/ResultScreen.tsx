import type { ReactNode } from 'react';
import type { SaleIn } from '../store/screen.ts';
import { SaleButton } from './SaleButton.tsx';
import { Screen } from './Screen.tsx';

/**
 * How a sale ended (Paid, Declined, Expired, Cancelled): the screen named for its phase, a tick
 * or a cross, what happened, and the buttons.
 */
export function ResultScreen({
  sale,
  heading,
  actions,
  children,
}: {
  sale: SaleIn<'paid' | 'declined' | 'expired' | 'cancelled'>;
  heading: string;
  /** Usually a `DoneButton`. */
  actions: ReactNode;
  children: ReactNode;
}) {
  const mark = sale.phase === 'paid' ? 'result-ok' : 'result-bad';
  return (
    <Screen id={sale.phase} heading={heading} phase={sale.phase}>
      <p className={`result-mark ${mark}`} aria-hidden="true" />
      {children}
      <div className="actions">{actions}</div>
    </Screen>
  );
}

/** Dismisses the ended sale: back to the attract screen. */
export function DoneButton({ label }: { label: string }) {
  return <SaleButton command="sale.dismiss" testId="done" look="primary" label={label} />;
}

/** The payment request's short code, as the receipt prints it. */
export function ResultReference({ label, shortCode }: { label: string; shortCode: string }) {
  return (
    <p className="reference">
      {label}: <strong data-testid="short-code">{shortCode}</strong>
    </p>
  );
}
