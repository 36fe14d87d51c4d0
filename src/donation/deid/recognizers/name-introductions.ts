import { compromiseNormal, isGrammarWord, isKnownNonNameWord, isKnownWord, isListedOnlyAsName } from '../compromise-lexicon';
import { ARTICLES, NEVER_NAMES } from '../data/function-words';
import { ENGLISH_RELATIONS, FOREIGN_RELATIONS, PERSON_NOUNS, PERSON_VERBS } from '../data/relations';
import { CHAT_WORDS, SELF_DESCRIPTIONS } from '../data/not-names';
import { isEnglishWord } from '../english-words';
import type { FoundEntity } from '../found-entity';
import { isWellKnown } from '../keep-list';
import { withoutHalfKeptNames } from '../whole-names';

/**
 * Names the tagger misses because it has never seen them, caught by how people introduce
 * themselves and others. How much a cue proves decides which words after it count:
 *
 * - declared ("my name is", "call me"): any first word compromise does not know as something
 *   else, in any case ("my name is kwame"; not "my name is not important").
 * - related ("my gf", "my boss", "me and", titles "Dr."/"Mrs."/"Prof."): a
 *   capitalized word that is no grammar word ("my son Hunter", "Mrs. Brown"), or a lower-case
 *   word that compromise lists only as a name or does not know at all and that is no chat
 *   abbreviation ("my gf leilani", "me and baz", "dr. adeyemi"; not "my bf rn"). Before "and
 *   I" / "and me" a capitalized word must also be no word compromise knows ("Baz and I"; not
 *   "Tired and I").
 * - self ("I'm", "I am"): a capitalized word compromise does not know as something else and that
 *   is no self-description ("I'm Kwame"; not "I'm Tired", "I'm Vegan"), or a lower-case word it
 *   lists only as a name ("i'm priya"). "im" without apostrophe is German too ("im Garten"), so
 *   it takes listed names only.
 *
 * - addressed ("ask", "text", "remind" …): a capitalized word no dictionary knows ("ask Hamish").
 *
 * Later words of a name must be capitalized and no everyday word, or listed only as names ("my
 * friend kwame mensah"). ("A file called Config" is why "called" and "named" are no cue.)
 */
type Strength = 'declared' | 'related' | 'foreign' | 'companion' | 'addressed' | 'self' | 'listed';

const NAME = String.raw`(?<name>[\p{L}][\p{L}'’-]*(?:\s+[\p{L}][\p{L}'’-]*){0,2})`;
const DECLARED = /(?<![\p{L}])(?:my name is|my name['’]s|my name was|call me|i go by|name:)\s+/iu;
const RELATIONS = ENGLISH_RELATIONS.join('|');
const RELATED = new RegExp(
  String.raw`(?<![\p{L}])(?:(?:my|our|his|her|their)\s+(?:(?:little|big|older|younger|elder|baby|twin|late|best|new|ex|step|half)[\s-]+)*(?:${RELATIONS})(?:-in-law)?|${PERSON_NOUNS}\s+(?:called|named)|me\s+and|(?:mr|mrs|ms|miss|mx|dr|prof|professor|doctor|sir|dame|rev|herr|frau|mme|mlle|señor|señora|sra)(?:\.|(?=\s)))(?![\p{L}])\s*,?\s*`,
  'iu',
);
const SELF = /(?<![\p{L}])(?:i['’]m|i am)\s+/iu;
const SELF_NO_APOSTROPHE = /(?<![\p{L}])im\s+/iu;
/** In other languages the next word in lower case is as likely a verb ("moja córka chodzi"): capitals or listed names only. */
const FOREIGN_RELATED = new RegExp(String.raw`(?<![\p{L}])(?:${FOREIGN_RELATIONS.join('|')})(?![\p{L}])\s*,?\s*`, 'iu');
const ADDRESSED = new RegExp(String.raw`(?<![\p{L}])${PERSON_VERBS}\s+`, 'iu');
/** Each cue followed by the words that may be a name, compiled once. */
const CUES: ReadonlyArray<readonly [RegExp, Strength]> = ([
  [DECLARED, 'declared'], [RELATED, 'related'], [FOREIGN_RELATED, 'foreign'], [SELF, 'self'], [SELF_NO_APOSTROPHE, 'listed'],
  [ADDRESSED, 'addressed'],
] as const).map(([cue, strength]) => [new RegExp(cue.source + NAME, 'giu'), strength] as const);
/**
 * "baz and I went": the word before "and me" / "and I"; "chidinma my flatmate": the word before
 * "my <relation>". Only a word standing free: "nginx:1.25.3-alpine and i" names no one.
 */
const BEFORE_AND_ME = /(?<=^|[\s,;(])(?<name>[\p{L}][\p{L}'’-]*)\s+and\s+(?:me|i|myself)(?![\p{L}'’])/giu;
const BEFORE_MY_RELATION = new RegExp(String.raw`(?<=^|[\s,;(])(?<name>[\p{L}][\p{L}'’-]*),?\s+(?:my|our)\s+(?:${RELATIONS})(?![\p{L}])`, 'giu');

const NEVER = new Set([...NEVER_NAMES, ...ARTICLES, ...CHAT_WORDS]);
const DESCRIPTIONS = new Set(SELF_DESCRIPTIONS);
const POSSESSIVE = /['’]s?$/u;

export function findNameIntroductions(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const [cue, strength] of CUES) {
    for (const match of text.matchAll(cue)) {
      const written = match.groups?.name ?? '';
      addName(spans, match.index + match[0].length - written.length, written, strength);
    }
  }
  for (const pattern of [BEFORE_AND_ME, BEFORE_MY_RELATION]) {
    for (const match of text.matchAll(pattern)) addName(spans, match.index, match.groups?.name ?? '', 'companion');
  }
  return withoutHalfKeptNames(text, spans);
}

function addName(spans: FoundEntity[], start: number, written: string, strength: Strength): void {
  const words = nameWords(written, strength);
  if (words.length === 0 || isWellKnown('PERSON', words.join(' '))) return;
  spans.push({ type: 'PERSON', start, end: start + nameLength(written, words.length) });
}

/** The words up to the first one that is not a name ("Sarah And Tom" → "Sarah"). */
function nameWords(written: string, strength: Strength): string[] {
  const words: string[] = [];
  for (const word of written.split(/\s+/u)) {
    const bare = word.replace(POSSESSIVE, '');
    if (!(words.length === 0 ? isFirstName(bare, strength) : isLaterName(bare))) break;
    words.push(bare);
    if (bare.length < word.length) break;
  }
  return words;
}

function isFirstName(word: string, strength: Strength): boolean {
  const lower = word.toLowerCase();
  if (word.length < 2 || NEVER.has(lower) || isGrammarWord(word)) return false;
  const capitalized = /^\p{Lu}/u.test(word);
  switch (strength) {
    case 'declared':
      return capitalized || !isKnownNonNameWord(word);
    case 'related':
      return capitalized || isListedOnlyAsName(word) || isUnknownWord(word);
    case 'companion':
      // "Tired and I…", "Vegan and I…": before "and I" an adjective is as likely as a name.
      return capitalized ? !isKnownNonNameWord(word) && !DESCRIPTIONS.has(lower) : isListedOnlyAsName(word) || isUnknownWord(word);
    case 'self':
      return capitalized ? !isKnownNonNameWord(word) && !DESCRIPTIONS.has(lower) : isListedOnlyAsName(word);
    case 'addressed':
      // "ask Hamish", not "ask Mum", "text Google" or "call me".
      return capitalized && !isKnownNonNameWord(word) && !isEnglishWord(word) && !DESCRIPTIONS.has(lower);
    case 'foreign':
      return capitalized || isListedOnlyAsName(word);
    case 'listed':
      return isListedOnlyAsName(word);
  }
}

/** A word neither compromise nor the English word list knows, plain letters, long enough not to be an abbreviation. */
function isUnknownWord(word: string): boolean {
  return word.length >= 3 && /^\p{L}+$/u.test(word) && !isKnownWord(compromiseNormal(word)) && !isEnglishWord(word) && !DESCRIPTIONS.has(word.toLowerCase());
}

function isLaterName(word: string): boolean {
  if (NEVER.has(word.toLowerCase()) || isGrammarWord(word)) return false;
  return /^\p{Lu}/u.test(word) ? !isKnownNonNameWord(word) : isListedOnlyAsName(word);
}

/** Characters from the start of `written` to the end of its `count`-th word, without a possessive. */
function nameLength(written: string, count: number): number {
  const wordPattern = /\S+/gu;
  let end = 0;
  for (let i = 0; i < count; i += 1) {
    const word = wordPattern.exec(written);
    if (word === null) break;
    end = word.index + word[0].replace(POSSESSIVE, '').length;
  }
  return end;
}
