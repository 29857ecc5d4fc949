// Everything the benchmark must undo (child processes, temporary directories, PostgreSQL),
// whether it finishes, fails or is interrupted.

type Action = () => void | Promise<void>;

const pending = new Set<Action>();

/** Registers `action`; the returned function runs it now, once, and forgets it. */
export function deferCleanup(action: Action): () => Promise<void> {
  pending.add(action);
  return async () => {
    if (pending.delete(action)) await action();
  };
}

/** Runs every pending action, newest first; one that fails does not stop the others. */
export async function cleanUpEverything(): Promise<void> {
  for (const action of [...pending].reverse()) {
    pending.delete(action);
    try {
      await action();
    } catch (error) {
      console.error(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** On SIGINT or SIGTERM: clean up, then exit with the signal's conventional status. */
export function cleanUpOnSignals(): void {
  const onSignal = (signal: NodeJS.Signals, status: number) => {
    console.error(`\n${signal}: stopping the servers and removing temporary files…`);
    void cleanUpEverything().finally(() => process.exit(status));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
}
