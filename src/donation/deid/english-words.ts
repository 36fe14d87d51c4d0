import { ENGLISH_WORDS_FRONT_CODED } from './data/english-words';
import { decodeFrontCoded } from './front-coding';

/** Built on first use, like the gazetteer. */
let words: Set<string> | undefined;

/**
 * True when the word (any case) is one of the ~10,700 most common English words (SCOWL 10+20,
 * data/english-words.ts). compromise's dictionary misses plain nouns ("kitchen", "university"),
 * so a lower-case word after a name cue is only taken for a name when neither lists it.
 * Simple inflections count too: "snores", "parties", "walked", "cleaning".
 */
export function isEnglishWord(word: string): boolean {
  words ??= new Set(decodeFrontCoded(ENGLISH_WORDS_FRONT_CODED));
  const lower = word.toLowerCase().replace(/’/gu, "'");
  if (words.has(lower)) return true;
  return stems(lower).some((stem) => words!.has(stem));
}

function stems(word: string): string[] {
  const found: string[] = [];
  const strip = (suffix: string, replacement = '') => {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) found.push(word.slice(0, -suffix.length) + replacement);
  };
  strip('s');
  strip('es');
  strip('ies', 'y');
  strip('ed');
  strip('ed', 'e');
  strip('ing');
  strip('ing', 'e');
  strip('ly');
  strip("'s");
  // "stopped", "running": a doubled last consonant.
  for (const suffix of ['ed', 'ing']) {
    if (word.endsWith(suffix) && word.length > suffix.length + 3 && word.at(-suffix.length - 1) === word.at(-suffix.length - 2)) {
      found.push(word.slice(0, -suffix.length - 1));
    }
  }
  return found;
}
