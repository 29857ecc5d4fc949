// Receipt short codes (CP-XXX-XXX). The terminal validates the check character; the UI only
// offers the characters a short code can hold and shows what was typed in its printed shape.

/** The short-code alphabet: digits and capitals without the look-alikes I, L, O and U. */
export const SHORT_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SHORT_CODE_LENGTH = 6;

/** Keeps the code's own characters from typed or scanned text: "cp-c7f zs5" → "C7FZS5". */
export function shortCodeCharacters(input: string): string {
  const compact = input.toUpperCase().replace(/[^0-9A-Z]/g, '');
  // The printed prefix, when typed or scanned: "CP-" at the start, or a code too long without it.
  const prefixed = /^\s*CP[-\s]/i.test(input) || compact.length > SHORT_CODE_LENGTH;
  const body = prefixed && compact.startsWith('CP') ? compact.slice(2) : compact;
  return [...body]
    .filter((c) => SHORT_CODE_ALPHABET.includes(c))
    .join('')
    .slice(0, SHORT_CODE_LENGTH);
}

/** "C7FZS5" → "CP-C7F-ZS5"; a partial code keeps its shape: "C7" → "CP-C7". */
export function formatShortCode(characters: string): string {
  const first = characters.slice(0, 3);
  const second = characters.slice(3);
  return second ? `CP-${first}-${second}` : first ? `CP-${first}` : '';
}
