import { useCallback, useEffect, useState } from 'react';
import { useBusy, useCommand } from '../components/hooks.ts';
import { Screen } from '../components/Screen.tsx';
import type { JournalEntry } from '../contract.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { BackToMenu } from './AttendantScreen.tsx';

const JOURNAL_LIMIT = 200;

/** The kiosk's journal: every payment request it created, newest as the terminal orders them. */
export function JournalScreen() {
  const t = useT();
  const { money, dateTime } = useFormat();
  const run = useCommand();
  const busy = useBusy();
  const [entries, setEntries] = useState<JournalEntry[] | null>(null);

  const load = useCallback(async () => {
    const result = await run('journal.list', { limit: JOURNAL_LIMIT });
    if (result?.ok) setEntries(result.value);
  }, [run]);

  useEffect(() => {
    void load();
  }, [load]);

  const none = t.journal.none;
  return (
    <Screen id="journal" heading={t.journal.heading}>
      {entries === null ? (
        <p className="lead" role="status">
          {t.journal.loading}
        </p>
      ) : entries.length === 0 ? (
        <p className="lead" data-testid="journal-empty">
          {t.journal.empty}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="journal-table">
            <thead>
              <tr>
                <th scope="col">{t.journal.columns.time}</th>
                <th scope="col">{t.journal.columns.flow}</th>
                <th scope="col">{t.journal.columns.shortCode}</th>
                <th scope="col" className="numeric">
                  {t.journal.columns.amount}
                </th>
                <th scope="col">{t.journal.columns.outcome}</th>
                <th scope="col" className="numeric">
                  {t.journal.columns.refunded}
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.saleId} data-testid="journal-row" data-outcome={entry.outcome}>
                  <td>{dateTime(entry.createdAt)}</td>
                  <td>{t.journal.flows[entry.flow]}</td>
                  <td className="mono">{entry.shortCode ?? none}</td>
                  <td className="numeric">{money(entry.amount, entry.currency)}</td>
                  <td>{t.journal.outcomes[entry.outcome]}</td>
                  <td className="numeric">
                    {entry.refundedAmount > 0 ? money(entry.refundedAmount, entry.currency) : none}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        <BackToMenu />
        <button
          type="button"
          className="button-secondary"
          data-testid="refresh"
          disabled={busy}
          onClick={() => void load()}
        >
          {t.journal.refresh}
        </button>
      </div>
    </Screen>
  );
}
