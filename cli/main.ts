import { CORE_USAGE, coreCommand } from './core-command.ts';
import { HOST_USAGE, hostCommand } from './host-command.ts';
import { SIMULATE_USAGE, simulateCommand } from './simulate-command.ts';
import { TOKEN_USAGE, tokenCommand } from './token-command.ts';

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  core: coreCommand,
  host: hostCommand,
  simulate: simulateCommand,
  token: tokenCommand,
};

const usage = [
  'usage:',
  `  ${CORE_USAGE}`,
  `  ${HOST_USAGE}`,
  `  ${TOKEN_USAGE}`,
  `  ${SIMULATE_USAGE}`,
].join('\n');

const [name, ...argv] = process.argv.slice(2);
const command = name === undefined ? undefined : commands[name];
if (!command) {
  console.error(usage);
  process.exit(name === undefined || name === '--help' ? 0 : 2);
}
try {
  await command(argv);
} catch (error) {
  console.error(`kiosk ${name}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
