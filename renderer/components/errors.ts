import type { Catalogue } from '../i18n/en.ts';
import type { UiError } from '../store/ui-slice.ts';

/** The words for a failed command, from the catalogue. */
export function describeError(t: Catalogue, error: UiError): string {
  if (error.kind === 'transport') return t.errors[error.reason];
  // A newer host may send a code this build does not know.
  const base = t.errors.refused[error.failure.code] ?? t.errors.unexpected;
  const field = error.failure.field;
  if (!field) return base;
  const name = Object.hasOwn(t.errors.fields, field) ? t.errors.fields[field] : field;
  return `${base} ${t.errors.field(name ?? field)}`;
}
