import { ENTITY_TYPES } from '../bundle-types';

/** `[EMAIL_1]`, `[DECLARED_TERM_12]`: what this de-identifier writes. */
const PLACEHOLDER = new RegExp(String.raw`\[(?:${ENTITY_TYPES.join('|')})_\d+\]`, 'g');

export function formatPlaceholder(type: string, n: number): string {
  return `[${type}_${n}]`;
}

/**
 * Where the text already holds placeholders. Nothing found inside or across one is redacted,
 * so that de-identifying de-identified text changes nothing.
 */
export function placeholderSpans(text: string): Array<{ start: number; end: number }> {
  return [...text.matchAll(PLACEHOLDER)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
}
