import type { ReactNode } from 'react';
import type { ScreenId } from '../store/screen.ts';
import { SaleButton } from './SaleButton.tsx';
import { Screen } from './Screen.tsx';

/**
 * How a sale or a vending session ended (Paid, Declined, Expired, Cancelled, the vend's result):
 * the screen, a tick or a cross, what happened, and the buttons.
 */
export function ResultScreen({
  id,
  phase,
  ok,
  heading,
  actions,
  children,
}: {
  /** A sale's result screen is named for its phase. */
  id: ScreenId;
  /** The sale's or the vending session's phase. */
  phase: string;
  /** A tick (it went through) rather than a cross. */
  ok: boolean;
  heading: string;
  /** Usually a `DoneButton`. */
  actions: ReactNode;
  children: ReactNode;
}) {
  return (
    <Screen id={id} heading={heading} phase={phase}>
      <p className={`result-mark ${ok ? 'result-ok' : 'result-bad'}`} aria-hidden="true" />
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
