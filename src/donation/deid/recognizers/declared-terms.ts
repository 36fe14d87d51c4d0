import type { FoundEntity, Recognizer } from '../found-entity';

/** Characters that mean something in a regular expression; every other character matches itself. */
const REGEX_SPECIALS = /[.*+?^${}()|[\]\\]/g;

/**
 * The user's own words (their name, town, employer), found case-insensitively as whole words
 * in any script: "Zoë" matches "ZOË" but not "Zoëlle", and "C++ Corp" is matched literally.
 * Whitespace inside a term matches any run of whitespace; a term is also matched in its
 * decomposed Unicode form, as some keyboards type "e" + combining accent. Longer terms win
 * ("New Amsterdam Bank" before "New Amsterdam"). Empty and blank terms are ignored.
 */
export function createDeclaredTermsRecognizer(terms: readonly string[]): Recognizer {
  const pattern = declaredTermsPattern(terms);
  if (pattern === undefined) return () => [];
  return (text) => {
    const spans: FoundEntity[] = [];
    for (const match of text.matchAll(pattern)) {
      spans.push({ type: 'DECLARED_TERM', start: match.index, end: match.index + match[0].length });
    }
    return spans;
  };
}

function declaredTermsPattern(terms: readonly string[]): RegExp | undefined {
  const forms = new Set<string>();
  for (const term of terms) {
    const trimmed = term.trim();
    if (trimmed === '') continue;
    forms.add(trimmed.normalize('NFC'));
    forms.add(trimmed.normalize('NFD'));
  }
  if (forms.size === 0) return undefined;
  const alternatives = [...forms]
    .sort((a, b) => b.length - a.length)
    .map((form) => form.replace(REGEX_SPECIALS, '\\$&').replace(/\s+/gu, String.raw`\s+`));
  // Letters, digits and combining marks continue a word; punctuation and spaces end one.
  return new RegExp(String.raw`(?<![\p{L}\p{M}\p{N}_])(?:${alternatives.join('|')})(?![\p{L}\p{M}\p{N}_])`, 'giu');
}
