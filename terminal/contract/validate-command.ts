// Every command that crosses a process boundary is checked here before the terminal acts on it:
// the name must be one of the contract's, the input must match its schema.
import { Compile } from 'typebox/compile';
import { commandInputs, type CommandInput, type CommandName } from './commands.ts';
import type { CommandFailure } from './replies.ts';

const validators = Object.fromEntries(
  Object.entries(commandInputs).map(([name, schema]) => [name, Compile(schema)]),
) as { [N in CommandName]: ReturnType<typeof Compile<(typeof commandInputs)[N]>> };

export type ValidatedCommand =
  | { ok: true; name: CommandName; input: CommandInput<CommandName> }
  | { ok: false; error: CommandFailure };

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commandInputs, name);
}

export function validateCommand(name: unknown, input: unknown): ValidatedCommand {
  if (!isCommandName(name)) {
    return {
      ok: false,
      error: { code: 'UNKNOWN_COMMAND', message: `unknown command ${JSON.stringify(name)}` },
    };
  }
  const validator = validators[name];
  if (validator.Check(input)) return { ok: true, name, input: input as CommandInput<CommandName> };
  const [first] = validator.Errors(input);
  const field = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') || undefined;
  const problem = first?.schemaPath.endsWith('additionalProperties')
    ? 'is not a field of this command'
    : (first?.message ?? 'is invalid');
  return {
    ok: false,
    error: {
      code: 'INVALID_INPUT',
      message: `${name}: ${field ?? 'input'} ${problem}`,
      ...(field === undefined ? {} : { field }),
    },
  };
}
