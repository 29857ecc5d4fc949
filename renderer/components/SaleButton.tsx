import { useBusy, useCommand } from './hooks.ts';

/** The sale's commands that take no input. */
type SaleCommand = 'sale.cancel' | 'sale.dismiss' | 'sale.retryCode';

/** A button that sends one of the sale's commands; it waits while a command is in flight. */
export function SaleButton({
  command,
  testId,
  look,
  label,
}: {
  command: SaleCommand;
  testId: string;
  look: 'primary' | 'secondary' | 'danger';
  label: string;
}) {
  const run = useCommand();
  const busy = useBusy();
  return (
    <button
      type="button"
      className={`button-${look}`}
      data-testid={testId}
      disabled={busy}
      onClick={() => void run(command, {})}
    >
      {label}
    </button>
  );
}
