import { ARTICLES, NEVER_NAMES } from './data/function-words';

const NEVER = new Set(NEVER_NAMES);
/** Subject pronouns of those languages: the word after one is a verb ("Ik ben", "ich will", "io ho"). */
const SUBJECT_PRONOUN = /(?<![\p{L}])(?:ik|ich|je|du|wir|wij|jij|hij|zij|io|eu|nous|vous|ils|elles|noi|voi|nosotros|ellos|ellas|oni)[ \t]+$/iu;
const ALONE_NEVER = new Set([...NEVER_NAMES, ...ARTICLES]);
const WORD = /[\p{L}\p{M}'’]+/gu;

/** "LA", "UN", "IST" written in capitals are abbreviations, not the function words. */
const isAllCaps = (word: string) => word.length > 1 && word === word.toUpperCase();

/**
 * The span without the foreign function words at its ends ("Berlin ist" → "Berlin"), or
 * undefined when nothing else is left ("ist", "Das"). See data/function-words.ts. A first word
 * right after a subject pronoun of those languages is a verb, even one that is also a name
 * ("Ik ben …", "ich will …").
 */
export function trimFunctionWords(text: string, start: number, end: number): { start: number; end: number } | undefined {
  const words = [...text.slice(start, end).matchAll(WORD)].map((match) => ({
    start: start + match.index,
    end: start + match.index + match[0].length,
    lower: match[0].toLowerCase(),
    caps: isAllCaps(match[0]),
  }));
  if (words.length === 0) return { start, end };
  if (words.length === 1 && SUBJECT_PRONOUN.test(text.slice(Math.max(0, start - 12), start)) && !words[0]!.caps) return undefined;
  if (words.length === 1) return ALONE_NEVER.has(words[0]!.lower) && !words[0]!.caps ? undefined : { start, end };
  let first = SUBJECT_PRONOUN.test(text.slice(Math.max(0, start - 12), start)) && !words[0]!.caps ? 1 : 0;
  let last = words.length - 1;
  while (first <= last && NEVER.has(words[first]!.lower) && !words[first]!.caps) first += 1;
  while (last >= first && NEVER.has(words[last]!.lower) && !words[last]!.caps) last -= 1;
  if (first > last) return undefined;
  if (first === last && ALONE_NEVER.has(words[first]!.lower) && !words[first]!.caps) return undefined;
  return { start: first === 0 ? start : words[first]!.start, end: last === words.length - 1 ? end : words[last]!.end };
}
