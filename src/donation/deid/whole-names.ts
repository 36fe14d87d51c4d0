import type { FoundEntity } from './found-entity';
import { KEPT_MULTI_WORD_NAMES } from './keep-list';
import { normalizeName } from './normalize-name';

/** Words as they appear in names: "Swift's" is the word "Swift" with a possessive. */
const WORD = /\p{L}[\p{L}\p{M}.'’-]*/gu;
const POSSESSIVE = /['’]s?$/u;

/** First word → the kept multi-word names it starts, each as its words. */
const BY_FIRST_WORD = new Map<string, string[][]>();
for (const name of KEPT_MULTI_WORD_NAMES) {
  const words = name.split(' ');
  BY_FIRST_WORD.set(words[0]!, [...(BY_FIRST_WORD.get(words[0]!) ?? []), words]);
}

/** Where kept multi-word names ("Taylor Swift", "Los Angeles") stand in the text. */
export function keptNameRanges(text: string): Array<{ start: number; end: number }> {
  const words = [...text.matchAll(WORD)].map((match) => ({
    start: match.index,
    end: match.index + match[0].replace(POSSESSIVE, '').length,
    normal: normalizeName(match[0].replace(POSSESSIVE, '')),
  }));
  const ranges: Array<{ start: number; end: number }> = [];
  for (let i = 0; i < words.length; i += 1) {
    for (const name of BY_FIRST_WORD.get(words[i]!.normal) ?? []) {
      const last = words[i + name.length - 1];
      if (last === undefined || !name.every((word, offset) => words[i + offset]!.normal === word)) continue;
      if (!onlySpacesBetween(text, words.slice(i, i + name.length))) continue;
      ranges.push({ start: words[i]!.start, end: last.end });
    }
  }
  return ranges;
}

function onlySpacesBetween(text: string, words: ReadonlyArray<{ start: number; end: number }>): boolean {
  return words.every((word, i) => i === 0 || /^[ \t]+$/u.test(text.slice(words[i - 1]!.end, word.start)));
}

/**
 * A famous name is kept or removed whole, never half: "[PERSON_1] Swift's new album" tells
 * the reader who was meant and looks like a leak. Spans that cut into a kept name are dropped
 * (the tagger found "Taylor" alone); spans that cover one whole stay.
 */
export function withoutHalfKeptNames(text: string, spans: readonly FoundEntity[]): FoundEntity[] {
  if (spans.length === 0) return [];
  const kept = keptNameRanges(text);
  if (kept.length === 0) return [...spans];
  return spans.filter((span) => !kept.some((name) => span.start < name.end && name.start < span.end && (span.start > name.start || span.end < name.end)));
}
