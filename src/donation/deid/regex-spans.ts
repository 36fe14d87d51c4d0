import type { EntityType } from '../bundle-types';
import type { FoundEntity } from './found-entity';

/**
 * Every match of `pattern` (which must carry the `g` flag) as a span of `type`, kept only when
 * `isValid` accepts the matched text. Regexes find candidates; libraries decide.
 */
export function regexSpans(
  text: string,
  pattern: RegExp,
  type: EntityType,
  isValid: (candidate: string) => boolean = () => true,
): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const match of text.matchAll(pattern)) {
    const candidate = match[0];
    if (candidate.length > 0 && isValid(candidate)) {
      spans.push({ type, start: match.index, end: match.index + candidate.length });
    }
  }
  return spans;
}

/** Punctuation that ends a sentence more often than it ends a link or an address. */
const TRAILING_PUNCTUATION = /[.,;:!?'"’”»)\]}>]+$/u;

/** Drops sentence punctuation glued to the end of a candidate; a `)` stays when it closes a `(` inside. */
export function trimTrailingPunctuation(candidate: string): string {
  let trimmed = candidate.replace(TRAILING_PUNCTUATION, '');
  // "(see https://en.wikipedia.org/wiki/Foo_(bar))" – keep the parenthesis the link opened.
  while (candidate.length > trimmed.length && candidate[trimmed.length] === ')' && count(trimmed, '(') > count(trimmed, ')')) {
    trimmed += ')';
  }
  return trimmed;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n += 1;
  return n;
}
