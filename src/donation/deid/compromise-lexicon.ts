import nlp from 'compromise';
import { EXTRA_SURNAMES } from './data/surnames';
import { EXTRA_GIVEN_NAMES } from './given-names';

/**
 * compromise's own dictionary, word → tag(s). It tells a name the tagger missed ("I'm Kwame":
 * unknown word) from an ordinary word after the same cue ("I'm tired": an adjective), and which
 * sentences may hold a name at all (see name-bearing-chunks.ts).
 */
type Lexicon = Record<string, string | string[]>;
const lexicon = (nlp.model() as { one?: { lexicon?: Lexicon } }).one?.lexicon ?? {};

/**
 * compromise looks words up by their "normal" form: lower case, accents and letters such as
 * ł and ø folded to ASCII ("Łukasz" → "lukasz").
 */
export function compromiseNormal(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/gu, 'l').replace(/Ł/gu, 'L').replace(/ø/gu, 'o').replace(/Ø/gu, 'O').toLowerCase();
}

// compromise has one dictionary per page (or process), so this adds the names for every user of
// compromise; only names it does not know yet, so no word changes its meaning.
const unknownNames = (names: readonly string[], tag: string) =>
  names.map(compromiseNormal).filter((name) => !Object.hasOwn(lexicon, name)).map((name) => [name, tag]);
nlp.addWords(Object.fromEntries([...unknownNames(EXTRA_SURNAMES, 'LastName'), ...unknownNames(EXTRA_GIVEN_NAMES, 'FirstName')]));

const PERSON_TAGS = ['FirstName', 'MaleName', 'FemaleName', 'LastName', 'Person', 'Honorific'];
const NAME_TAGS = new Set(PERSON_TAGS);
/** Tags that make compromise report a person or a place (ProperNoun covers a few of both). */
const NAME_OR_PLACE_TAGS = new Set([...PERSON_TAGS, 'Place', 'City', 'Country', 'Region', 'ProperNoun']);

/** Own keys only: "constructor" is not a word compromise knows. */
function tagsOf(word: string): readonly string[] | undefined {
  if (!Object.hasOwn(lexicon, word)) return undefined;
  const entry = lexicon[word]!;
  return Array.isArray(entry) ? entry : [entry];
}

/** Entries listed as names or places, looked up once per word rather than once per lookup. */
const namesAndPlaces = new Set<string>();
/** First word → the multi-word names and places it starts ("new" → "new york", "new delhi" …). */
const multiWordByFirstWord = new Map<string, string[]>();
for (const entry of Object.keys(lexicon)) {
  if (!tagsOf(entry)!.some((tag) => NAME_OR_PLACE_TAGS.has(tag))) continue;
  namesAndPlaces.add(entry);
  const space = entry.indexOf(' ');
  if (space > 0) {
    const first = entry.slice(0, space);
    multiWordByFirstWord.set(first, [...(multiWordByFirstWord.get(first) ?? []), entry]);
  }
}

/** True when compromise knows the word, and knows it as something other than a name. */
export function isKnownNonNameWord(word: string): boolean {
  const tags = tagsOf(compromiseNormal(word));
  return tags !== undefined && !tags.some((tag) => NAME_TAGS.has(tag));
}

/** True when the dictionary lists the word only as a person's name ("sarah", "kwame", "adeyemi"), not also as a word. */
export function isListedOnlyAsName(word: string): boolean {
  const tags = tagsOf(compromiseNormal(word));
  return tags !== undefined && tags.every((tag) => NAME_TAGS.has(tag));
}

const ADDED_SURNAMES = new Set(EXTRA_SURNAMES.map(compromiseNormal));
/**
 * True for a listed given name ("sarah", "kwame") or one of our own surnames (data/surnames.ts,
 * chosen to be no word anywhere), but not for compromise's own family names, many of which are
 * words in other languages ("costa", "dias", "santos").
 */
export function isDistinctiveListedName(word: string): boolean {
  const normal = compromiseNormal(word);
  const tags = tagsOf(normal);
  if (tags === undefined || !tags.every((tag) => NAME_TAGS.has(tag))) return false;
  return ADDED_SURNAMES.has(normal) || tags.some((tag) => tag !== 'LastName');
}

/** Pronouns, articles, prepositions, conjunctions, question words and forms of "be": never a name. */
const GRAMMAR_TAGS = new Set(['Pronoun', 'Determiner', 'Preposition', 'Conjunction', 'QuestionWord', 'Copula', 'Modal', 'Negative', 'Auxiliary']);
export function isGrammarWord(word: string): boolean {
  return tagsOf(compromiseNormal(word))?.some((tag) => GRAMMAR_TAGS.has(tag)) ?? false;
}

/** Tags that make a word a proper name of some kind: a person, a place, an organization. */
const PROPER_TAGS = new Set([...NAME_OR_PLACE_TAGS, 'Organization', 'Company', 'SportsTeam']);
/** True when compromise knows the word and knows it as no kind of proper name ("reading", "nice", "little"). */
export function isOrdinaryWord(word: string): boolean {
  const tags = tagsOf(compromiseNormal(word));
  return tags !== undefined && !tags.some((tag) => PROPER_TAGS.has(tag));
}

export function isKnownWord(normalWord: string): boolean {
  return Object.hasOwn(lexicon, normalWord);
}

/** True when the dictionary lists the word (in compromiseNormal form) as a person's name or a place. */
export function isListedNameOrPlace(normalWord: string): boolean {
  return namesAndPlaces.has(normalWord);
}

/** True when the words (in compromiseNormal form) from `index` on begin with a multi-word name or place the dictionary lists. */
export function startsListedMultiWordName(normalWords: readonly string[], index: number): boolean {
  const candidates = multiWordByFirstWord.get(normalWords[index]!);
  if (candidates === undefined) return false;
  return candidates.some((entry) => {
    const words = entry.split(' ');
    return words.every((word, offset) => normalWords[index + offset] === word);
  });
}
