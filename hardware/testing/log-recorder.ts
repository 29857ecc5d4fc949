// A real pino logger whose lines a test can read, to check what a driver logs (hardware/ has its
// own copy: it imports nothing else of ours).
import pino from 'pino';

export function recordingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    logger,
    lines,
    entries,
    /** Entries at warn (pino level 40). */
    warnings: () => entries().filter((entry) => entry['level'] === 40),
  };
}
