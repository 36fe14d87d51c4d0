/**
 * Whether a word is an everyday one, for the remaining-risk scan (remaining-risks.ts). It asks
 * compromise's dictionary, which the de-identifier loads anyway: a word it lists as something
 * other than a name or a place ("Monday", "Thanks", "Okay") is ordinary; one it lists as a name
 * or a place ("Jane", "Kingston"), or does not list at all ("Globex"), may identify someone.
 * The dictionary misses many plain nouns ("table"), so this only ever clears a word, never
 * accuses one: callers look for other signs first (capitals, recurrence, a cue).
 */
import nlp from 'compromise';

type Lexicon = Record<string, string | string[]>;

const NAME_OR_PLACE_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName', 'LastName', 'Person', 'Honorific', 'Place', 'City', 'Country', 'Region', 'ProperNoun', 'Organization']);

function lexicon(): Lexicon {
  // Read on each call: the de-identifier adds given names to the same dictionary when it loads.
  return (nlp.model() as { one?: { lexicon?: Lexicon } }).one?.lexicon ?? {};
}

/** True when the dictionary lists the word, in lower case, and not as a name or a place. */
export function isEverydayWord(word: string): boolean {
  const words = lexicon();
  const key = word.toLowerCase();
  if (!Object.hasOwn(words, key)) return false;
  const entry = words[key]!;
  return !(Array.isArray(entry) ? entry : [entry]).some((tag) => NAME_OR_PLACE_TAGS.has(tag));
}
