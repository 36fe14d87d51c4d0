import { GAZETTEER_MAX_WORDS, isGazetteerPlace } from './place-gazetteer';
import { placeKey } from './place-key';

export interface Phrase {
  start: number;
  /** Where the phrase ends after 1, 2, … of its words. */
  ends: number[];
}

/** "Stoke-on-Trent", "Cox's", "St." (only as an abbreviation that a name follows). */
const CAPITALIZED_WORD = /(?:St|Ste|Mt|Ft)\.(?=[ \t]\p{Lu})|\p{Lu}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*/uy;
const ANY_WORD = /\p{L}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*/uy;
/** Lower-case words inside place names: "Newcastle upon Tyne", "Villanueva de la Cañada", "Freiburg im Breisgau". */
const CONNECTOR = /(?:upon|on|de(?:[ \t](?:la|las|los))?|del|della|delle|dei|di|sul|sulla|la|le|les|lès|da|do|dos|das|du|des|aux|au|am|an(?:[ \t]der)?|im|der|den|sur|sous|en|y|al|el|nad|pod)[ \t](?=\p{Lu})/uy;
const GAP = /[ \t]/uy;
const POSSESSIVE = /['’]s?$/u;

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/**
 * The run of capitalized words starting at `at` (connectors allowed between them), at most
 * `maxWords` words; a possessive stays outside ("Leeds's" → "Leeds"). Undefined when no
 * capitalized word starts there.
 */
export function capitalizedPhrase(text: string, at: number, maxWords = GAZETTEER_MAX_WORDS): Phrase | undefined {
  const ends: number[] = [];
  let position = at;
  while (ends.length < maxWords) {
    const connector = ends.length > 0 ? matchAt(CONNECTOR, text, position) : undefined;
    const wordAt = position + (connector?.length ?? 0);
    const word = matchAt(CAPITALIZED_WORD, text, wordAt);
    if (word === undefined) break;
    const bare = word.replace(POSSESSIVE, '');
    ends.push(wordAt + bare.length);
    if (bare.length < word.length || matchAt(GAP, text, wordAt + word.length) === undefined) break;
    position = wordAt + word.length + 1;
  }
  return ends.length === 0 ? undefined : { start: at, ends };
}

/** Up to GAZETTEER_MAX_WORDS words in any case from `at`, for gazetteer look-ups of "i live in bristol". */
export function anyCasePhrase(text: string, at: number): Phrase | undefined {
  const ends: number[] = [];
  let position = at;
  while (ends.length < GAZETTEER_MAX_WORDS) {
    const word = matchAt(ANY_WORD, text, position);
    if (word === undefined) break;
    ends.push(position + word.length);
    if (matchAt(GAP, text, position + word.length) === undefined) break;
    position += word.length + 1;
  }
  return ends.length === 0 ? undefined : { start: at, ends };
}

/** The end of the longest start of the phrase that the gazetteer lists, if any. */
export function longestGazetteerMatch(text: string, phrase: Phrase): number | undefined {
  for (let i = phrase.ends.length - 1; i >= 0; i -= 1) {
    const end = phrase.ends[i]!;
    if (isGazetteerPlace(placeKey(text.slice(phrase.start, end)))) return end;
  }
  return undefined;
}
