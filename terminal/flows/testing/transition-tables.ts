// What the flow machines' table tests share: frozen inputs, the refusal a transition throws, and
// the list of accepted phase × event pairs a table must cover.
import { RefusedTransitionError } from '../refused-transition.ts';

/** Inputs are frozen, so a transition that mutates the state it was given throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** The RefusedTransitionError `transition` throws for `event` in `state`; fails if it accepts. */
export function refusalOf<S extends { phase: string }, E extends { type: string }>(
  transition: (state: S, event: E) => unknown,
  state: S,
  event: E,
): RefusedTransitionError {
  try {
    transition(state, event);
  } catch (error) {
    if (error instanceof RefusedTransitionError) return error;
    throw error;
  }
  throw new Error(`'${event.type}' was accepted in phase '${state.phase}'`);
}

/** `phase + event` for every event each phase accepts, sorted: what a transition table covers. */
export function acceptedPairs(accepted: Record<string, readonly string[]>): string[] {
  return Object.entries(accepted)
    .flatMap(([phase, events]) => events.map((event) => `${phase} + ${event}`))
    .sort();
}
