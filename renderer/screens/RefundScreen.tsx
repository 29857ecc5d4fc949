import { useState } from 'react';
import { CodeKeyboard } from '../components/CodeKeyboard.tsx';
import { useBusy, useCommand } from '../components/hooks.ts';
import { Keypad } from '../components/Keypad.tsx';
import { Screen } from '../components/Screen.tsx';
import type { RefundState, RefundTarget } from '../contract.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { dropLastDigit, keyDigits } from '../money.ts';
import { formatShortCode, SHORT_CODE_LENGTH, shortCodeCharacters } from '../short-code.ts';
import { useKiosk } from '../store/context.tsx';
import { assertNever } from '../store/screen.ts';
import { BackToMenu } from './AttendantScreen.tsx';

const IDLE: RefundState = { phase: 'idle' };
/** refundDeclined's code when the payment API never answered (state.ts). */
const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

/** Refund by a receipt's short code; which part shows follows `state.refund.phase`. */
export function RefundScreen() {
  const t = useT();
  const refund = useKiosk((s) => s.kiosk?.refund ?? IDLE);
  return (
    <Screen id="refund" heading={t.refund.heading} phase={refund.phase}>
      <RefundStep refund={refund} />
    </Screen>
  );
}

function RefundStep({ refund }: { refund: RefundState }) {
  const t = useT();
  const { money } = useFormat();
  switch (refund.phase) {
    case 'idle':
      return <LookupForm />;
    case 'lookingUp':
      return <Waiting text={t.refund.lookingUp} />;
    case 'notFound':
      return (
        <>
          <p
            className="lead inline-error"
            data-testid="refund-not-found"
            data-reason={refund.reason}
          >
            {t.refund.notFound[refund.reason]}
          </p>
          <p className="reference">{refund.shortCode}</p>
          <DismissActions label={t.refund.tryAgain} testId="try-again" />
        </>
      );
    case 'found':
      return <RefundAmount key={refund.target.id} target={refund.target} />;
    case 'refunding':
      return <Waiting text={t.refund.refunding} />;
    case 'refunded':
      return (
        <>
          <p className="result-mark result-ok" aria-hidden="true" />
          <p className="lead" data-testid="refund-result" data-result="refunded">
            {t.refund.refunded(money(refund.amount, refund.target.currency))}
          </p>
          <p className="reference" data-testid="short-code">
            {refund.target.shortCode}
          </p>
          <DismissActions label={t.refund.done} testId="done" />
        </>
      );
    case 'refundDeclined': {
      const unknown = refund.code === OUTCOME_UNKNOWN;
      return (
        <>
          <p className="result-mark result-bad" aria-hidden="true" />
          <p
            className="lead"
            data-testid="refund-result"
            data-result={unknown ? 'outcome-unknown' : 'declined'}
          >
            {unknown ? t.refund.outcomeUnknown : t.refund.declined}
          </p>
          {!unknown && <p className="detail">{t.refund.declinedCode(refund.code)}</p>}
          {unknown ? (
            <div className="actions">
              <DismissButton label={t.refund.done} testId="done" look="secondary" />
              {/* The same amount keeps the refund's reference: the API answers the first
                  refund again rather than making a second one. */}
              <RetryRefundButton amount={refund.amount} />
            </div>
          ) : (
            <DismissActions label={t.refund.done} testId="done" />
          )}
        </>
      );
    }
    default:
      return assertNever(refund);
  }
}

function LookupForm() {
  const t = useT();
  const run = useCommand();
  const busy = useBusy();
  const [characters, setCharacters] = useState('');
  const complete = characters.length === SHORT_CODE_LENGTH;
  const lookup = () => {
    if (complete) void run('refund.lookup', { shortCode: formatShortCode(characters) });
  };
  return (
    <>
      <form
        className="split"
        onSubmit={(e) => {
          e.preventDefault();
          lookup();
        }}
      >
        <div className="panel">
          <label className="field-label" htmlFor="refund-code">
            {t.refund.codeLabel}
          </label>
          {/* Attendants may type on a keyboard or scan into this field as well. */}
          <input
            id="refund-code"
            className="code-input"
            data-testid="refund-code"
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="characters"
            aria-describedby="refund-code-hint"
            value={formatShortCode(characters)}
            onChange={(e) => setCharacters(shortCodeCharacters(e.target.value))}
          />
          <p id="refund-code-hint" className="hint">
            {t.refund.codeHint}
          </p>
        </div>
        <div className="panel">
          <CodeKeyboard
            label={t.refund.codeLabel}
            onKey={(c) => setCharacters((s) => shortCodeCharacters(s + c))}
            onDelete={() => setCharacters((s) => s.slice(0, -1))}
            onClear={() => setCharacters('')}
          />
        </div>
      </form>
      <div className="actions">
        <BackToMenu />
        <button
          type="button"
          className="button-primary"
          data-testid="lookup"
          disabled={busy || !complete}
          onClick={lookup}
        >
          {t.refund.lookup}
        </button>
      </div>
    </>
  );
}

/** The payment found, and how much of it to refund: all of it unless the attendant keys less. */
function RefundAmount({ target }: { target: RefundTarget }) {
  const t = useT();
  const { money, dateTime } = useFormat();
  const run = useCommand();
  const busy = useBusy();
  const refundable = refundableAmount(target);
  const [amount, setAmount] = useState(refundable);
  // The full amount is shown first; the first key pressed replaces it rather than adding to it.
  const [keyed, setKeyed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const tooMuch = amount > refundable;
  const key = (digits: string) => {
    setAmount((a) => keyDigits(keyed ? a : 0, digits));
    setKeyed(true);
  };
  const formatted = money(amount, target.currency);
  const dismiss = <DismissButton label={t.refund.cancel} testId="cancel" look="secondary" />;

  return (
    <>
      <dl className="facts" data-testid="refund-target">
        <dt>{t.refund.codeLabel}</dt>
        <dd data-testid="short-code">{target.shortCode}</dd>
        <dt>{t.refund.paidAmount}</dt>
        <dd data-testid="paid-amount">{money(target.paidAmount, target.currency)}</dd>
        {target.refundedAmount > 0 && (
          <>
            <dt>{t.refund.alreadyRefunded}</dt>
            <dd data-testid="refunded-amount">{money(target.refundedAmount, target.currency)}</dd>
          </>
        )}
        <dt>{t.refund.status}</dt>
        <dd>{statusName(t, target.status)}</dd>
        <dt>{t.refund.createdAt}</dt>
        <dd>{dateTime(target.createdAt)}</dd>
      </dl>
      {refundable === 0 ? (
        <>
          <p className="lead" data-testid="fully-refunded">
            {t.refund.fullyRefunded}
          </p>
          <div className="actions">{dismiss}</div>
        </>
      ) : confirming ? (
        <>
          <p className="lead" role="status">
            {t.refund.confirmQuestion(formatted, target.shortCode)}
          </p>
          <div className="actions">
            <button
              type="button"
              className="button-secondary"
              data-testid="go-back"
              onClick={() => setConfirming(false)}
            >
              {t.refund.goBack}
            </button>
            <button
              type="button"
              className="button-danger"
              data-testid="confirm-refund"
              disabled={busy}
              onClick={() => void run('refund.submit', { amount })}
            >
              {t.refund.confirm}
            </button>
          </div>
        </>
      ) : (
        <>
          <div className="split">
            <div className="panel">
              <p className="field-label" id="refund-amount-label">
                {t.refund.amountLabel}
              </p>
              <output
                className="amount-display"
                data-testid="amount-display"
                aria-labelledby="refund-amount-label"
              >
                {formatted}
              </output>
              {tooMuch && (
                <p className="inline-error" role="alert" data-testid="refund-amount-error">
                  {t.refund.tooMuch(money(refundable, target.currency))}
                </p>
              )}
            </div>
            <div className="panel">
              <Keypad
                label={t.refund.amountLabel}
                onDigit={key}
                onDelete={() => {
                  setAmount((a) => dropLastDigit(a));
                  setKeyed(true);
                }}
                extra="doubleZero"
                onExtra={() => key('00')}
              />
            </div>
          </div>
          <div className="actions">
            {dismiss}
            <button
              type="button"
              className="button-primary"
              data-testid="review-refund"
              disabled={amount < 1 || tooMuch}
              onClick={() => setConfirming(true)}
            >
              {t.refund.review(formatted)}
            </button>
          </div>
        </>
      )}
    </>
  );
}

/** What is left to refund: the renderer's copy of the terminal's rule (it imports types only). */
function refundableAmount(target: RefundTarget): number {
  return Math.max(0, target.paidAmount - target.refundedAmount);
}

function statusName(t: ReturnType<typeof useT>, status: string): string {
  // The payment API's status is an open string in the contract; unknown ones show as they are.
  return Object.hasOwn(t.refund.statuses, status)
    ? t.refund.statuses[status as keyof typeof t.refund.statuses]
    : status;
}

function Waiting({ text }: { text: string }) {
  return (
    <>
      <div className="spinner" aria-hidden="true" />
      <p className="lead" role="status">
        {text}
      </p>
    </>
  );
}

function DismissActions({ label, testId }: { label: string; testId: string }) {
  return (
    <div className="actions">
      <DismissButton label={label} testId={testId} look="primary" />
    </div>
  );
}

function DismissButton({
  label,
  testId,
  look,
}: {
  label: string;
  testId: string;
  look: 'primary' | 'secondary';
}) {
  const run = useCommand();
  const busy = useBusy();
  return (
    <button
      type="button"
      className={`button-${look}`}
      data-testid={testId}
      disabled={busy}
      onClick={() => void run('refund.dismiss', {})}
    >
      {label}
    </button>
  );
}

/** Sends the refund whose outcome is unknown once more, for the same amount. */
function RetryRefundButton({ amount }: { amount: number }) {
  const t = useT();
  const run = useCommand();
  const busy = useBusy();
  return (
    <button
      type="button"
      className="button-primary"
      data-testid="retry-refund"
      disabled={busy}
      onClick={() => void run('refund.submit', { amount })}
    >
      {t.refund.tryAgain}
    </button>
  );
}
