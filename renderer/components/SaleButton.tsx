import { useBusy, useCommand } from './hooks.ts';

/** The commands of a sale, or of a vending session (a sale too), that take no input. */
type SaleCommand =
  'sale.cancel' | 'sale.dismiss' | 'sale.retryCode' | 'vending.cancel' | 'vending.dismiss';

/**
 * A button that sends one of those commands; it waits while a command is in flight. It carries
 * the command's name (`data-command`), for tests and debugging.
 */
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
      data-command={command}
      disabled={busy}
      onClick={() => void run(command, {})}
    >
      {label}
    </button>
  );
}
