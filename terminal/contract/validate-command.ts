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
  const { field, problem } = describe(first as SchemaError | undefined);
  return {
    ok: false,
    error: {
      code: 'INVALID_INPUT',
      message: `${name}: ${field ?? 'input'} ${problem}`,
      ...(field === undefined ? {} : { field }),
    },
  };
}

interface SchemaError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: { requiredProperties?: string[] };
  message: string;
}

/** The field a schema error is about, dotted (`lines.0.price`), and what is wrong with it. */
function describe(error: SchemaError | undefined): { field?: string; problem: string } {
  if (error === undefined) return { problem: 'is invalid' };
  const path = error.instancePath.split('/').filter(Boolean);
  if (error.keyword === 'required') {
    const missing = error.params.requiredProperties?.[0];
    if (missing !== undefined)
      return { field: [...path, missing].join('.'), problem: 'is required' };
  }
  const field = path.length > 0 ? path.join('.') : undefined;
  if (error.schemaPath.endsWith('additionalProperties')) {
    return { ...(field && { field }), problem: 'is not a field of this command' };
  }
  return { ...(field && { field }), problem: error.message };
}
