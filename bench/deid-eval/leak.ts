/**
 * Whether a labelled identifier can still be read in de-identified text. Comparing placeholders
 * with labels span by span would punish a recognizer for cutting a span differently from the
 * person who labelled it; what matters for a donation is only whether the value is gone.
 */
import type { FoundEntity } from '../../src/donation/deid';

/** A placeholder such as [PHONE_2]; its digits must never count as a leaked age or PIN. */
const PLACEHOLDER = /\[[A-Z][A-Z_]*_\d+\]/gu;
/** Stands in for a placeholder: neither a letter, a digit nor a separator, so nothing matches across it. */
const PLACEHOLDER_STAND_IN = '\u25A0';
/** What people put between the digits of one number: "07700 900987", "030-901820", "(312) 555.0144". */
const SEPARATOR_CLASS = String.raw`[\s\-\u2010-\u2015./()]`;
const SEPARATOR = new RegExp(`^${SEPARATOR_CLASS}$`, 'u');
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const DIGIT = /\p{N}/u;

const escapeForRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/gu, '\\$&');

/**
 * The identifier as a pattern. Letters compare case-insensitively. An identifier with a digit
 * also matches with its separators removed, added or changed, because a recognizer that drops
 * the spaces of "07700 900987" has leaked the number all the same; its leading and trailing
 * punctuation ("+44…", "…better!") is not needed for a match either.
 */
function identifierPattern(identifier: string): RegExp {
  const value = identifier.normalize('NFC').trim();
  let body: string;
  let core: string;
  if (DIGIT.test(value)) {
    core = value.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    body = [...core].filter((char) => !SEPARATOR.test(char)).map(escapeForRegExp).join(`${SEPARATOR_CLASS}*`);
  } else {
    core = value;
    body = core.split(/\s+/u).map(escapeForRegExp).join(String.raw`\s+`);
  }
  return new RegExp(`${edge(core.at(0), 'before')}${body}${edge(core.at(-1), 'after')}`, 'iu');
}

/**
 * A whole-word match only: "Tom" does not leak through "tomorrow", nor age "35" through "1935".
 * An identifier ending in a digit may touch letters ("21" in "my 21st").
 */
function edge(char: string | undefined, side: 'before' | 'after'): string {
  if (char === undefined || !LETTER_OR_DIGIT.test(char)) return '';
  const neighbours = DIGIT.test(char) ? String.raw`\p{N}` : String.raw`[\p{L}\p{N}]`;
  return side === 'before' ? `(?<!${neighbours})` : `(?!${neighbours})`;
}

/** True when the identifier is still in the redacted text (outside placeholders). */
export function leaks(identifier: string, redacted: string): boolean {
  const visible = redacted.normalize('NFC').replace(PLACEHOLDER, PLACEHOLDER_STAND_IN);
  return identifierPattern(identifier).test(visible);
}

/**
 * True when some occurrence of the identifier in the input was only partly inside the replaced
 * spans, e.g. "Flat 3, 27 Mafeking Road" redacted as "Flat 3, [STREET_ADDRESS_1]". Such an
 * identifier no longer appears whole, so it counts as removed, but the bench names it.
 */
export function partlyKept(identifier: string, text: string, entities: readonly FoundEntity[]): boolean {
  for (let start = text.indexOf(identifier); start !== -1; start = text.indexOf(identifier, start + 1)) {
    for (let i = start; i < start + identifier.length; i += 1) {
      // Spaces and punctuation left beside a placeholder say nothing about the value.
      if (!LETTER_OR_DIGIT.test(text[i]!)) continue;
      if (!entities.some((entity) => entity.start <= i && i < entity.end)) return true;
    }
  }
  return false;
}
