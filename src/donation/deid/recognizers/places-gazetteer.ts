import { compromiseNormal, isKnownWord, isOrdinaryWord } from '../compromise-lexicon';
import { SELF_DESCRIPTIONS } from '../data/not-names';
import { FOREIGN_PERSONAL_CUES, FOREIGN_PLAIN_CUES, PLACE_LABELS, TOWN_ENDINGS } from '../data/place-cues';
import { isEnglishWord } from '../english-words';
import type { FoundEntity } from '../found-entity';
import { isAlwaysKeptPlace, isWellKnown } from '../keep-list';
import { anyCasePhrase, capitalizedPhrase, longestGazetteerMatch, type Phrase } from '../place-phrases';
import { withoutHalfKeptNames } from '../whole-names';

/**
 * Places found by what comes before them, with the GeoNames gazetteer (place-gazetteer.ts).
 *
 * - A personal cue ("I live in", "we moved to", "I grew up near", "I'm from", "my hometown is")
 *   says where the user is: the place is removed even when it is a big city ("I live in London"),
 *   but not a country, state or region (kept, as HIPAA Safe Harbor keeps states). Any
 *   capitalized name counts, gazetteer or not ("I grew up in Little Snoring"); a lower-case one
 *   only when the gazetteer lists it ("i live in bristol").
 * - A naming cue ("a village called", "the town of") introduces a place by name: any
 *   capitalized name counts, but well-known places are kept ("the city of Paris").
 *   Verbs of living and travelling ("lives in", "drove from") count with a first-person subject
 *   shortly before them, or none ("just moved to Groningen"); other languages' cues are first
 *   person by themselves ("j'habite à", data/place-cues.ts).
 * - A plain preposition ("in", "from", "near", "to" after a verb of travel, "à", "w", "aus")
 *   counts only for a capitalized gazetteer name that is no everyday word ("in Reading" is kept:
 *   "reading") and not well known (keep-list.ts, which counts cities of 500,000+), or after
 *   "in"/"near" for an unknown word shaped like a town name ("in Headingley").
 */
const SUBJECT_FROM = String.raw`(?:i['’]?m|i am|we['’]re|we are|i come|we come|i came|we came|i hail|we hail)\s+(?:originally\s+|also\s+)?from`;
/** Where the user lives, lived, goes or went: a big city too ("we drove from Leeds to Nottingham"). */
const RESIDENCE = String.raw`(?:live[sd]?|living|reside[sd]?|residing|grew up|raised|born|moved|moving|relocated|relocating|settled|based|stay(?:ed|ing)?|drove|flew|went|travell?ed|cycled|walked|hiked|commute[sd]?|commuting)(?:\s+back)?\s+(?:in|to|from|near|outside(?:\s+of)?|into|at)`;
const HOMETOWN = String.raw`(?:my\s+(?:home\s?town|home\s+city|home\s+village|town|village)\s+(?:is|was|of|:|,)|(?:back\s+)?home\s+(?:in|to))`;
/** "my fam is from Mirpur", "our parents were from Cork": where the user's family comes from. */
const FAMILY_FROM = String.raw`(?:my|our)\s+(?:[\p{L}-]+\s+){0,2}(?:is|are|was|were|['’]s|['’]re)\s+(?:originally\s+)?from`;
const PERSONAL_CUE = new RegExp(
  String.raw`(?<![\p{L}])(?:${SUBJECT_FROM}|${RESIDENCE}|${HOMETOWN}|${FAMILY_FROM}|${PLACE_LABELS}|${FOREIGN_PERSONAL_CUES.join('|')})\s*(?:the\s+)?`,
  'giu',
);
/** A residence verb speaks for the user only with a first-person subject shortly before it… */
const FIRST_PERSON = /(?<![\p{L}])(?:i|i['’]m|im|i['’]ve|i['’]d|we|we['’]re|we['’]ve|my family|my parents|our family)(?![\p{L}])[^.!?\n]{0,40}$/iu;
/** …or none at all, as chat drops it: "just moved to Groningen", "Moved here from Leeds". */
const FILLER = String.raw`(?:(?:just|recently|finally|so|and|but|also|ok|okay|hi|hey)\s+)*`;
const NO_SUBJECT_AFTER_BREAK = new RegExp(String.raw`(?:[.!?\n]\s*|,\s*(?:but|and|so)?\s*)${FILLER}$`, 'iu');
const NO_SUBJECT_AT_START = new RegExp(String.raw`^\s*${FILLER}$`, 'iu');
/** How far back a subject is looked for: a sentence's subject is close to its verb. */
const SUBJECT_WINDOW = 60;
const RESIDENCE_VERB = /^(?:live|living|reside|grew|raised|born|moved|moving|relocat|settled|based|stay|drove|flew|went|travel|cycled|walked|hiked|commut)/iu;
/** After a personal place, a second one: "moved from Leeds to Groningen". */
const THEN_TO = /^,?[ \t]+(?:and[ \t]+)?(?:then[ \t]+)?(?:on[ \t]+)?(?:to|onto)[ \t]+(?:the[ \t]+)?/iu;
const NAMING_CUE = /(?<![\p{L}])(?:(?:village|town|city|hamlet|suburb|parish|borough|neighbou?rhood|district|island|place|area|estate|settlement|community)\s+(?:called|named)|(?:the\s+)?(?:village|town|city|hamlet|suburb|parish|borough)\s+of)\s+/giu;
const TRAVEL = String.raw`(?:go|goes|going|gone|went|drive|driving|drove|fly|flying|flew|travel(?:l?ing|l?ed)?|trip|train|bus|flight|commute|commuting|head(?:ing|ed)?|return(?:ing|ed)?|move|moving|moved)(?:\s+back)?\s+to`;
const PLAIN_CUE = new RegExp(String.raw`(?<![\p{L}])(?:in|from|near|outside|around|visit(?:ing|ed)?|${TRAVEL}|${FOREIGN_PLAIN_CUES})\s+(?=\p{Lu})`, 'gu');
/** The plain cues after which an unknown word with a town's ending counts: where one is, not where one goes. */
const LOCATIVE = /(?:^|[^\p{L}])(?:in|near|outside|around)\s+$/iu;

const CALENDAR = /^(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|august|sept?(?:ember)?|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|autumn|fall|winter)$/iu;
const NOT_PLACES = new Set(SELF_DESCRIPTIONS);

export function findGazetteerPlaces(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const match of text.matchAll(PERSONAL_CUE)) {
    const cue = match[0];
    if (RESIDENCE_VERB.test(cue) && !isFirstPerson(text, match.index)) continue;
    let start = match.index + cue.length;
    let end = personalPlaceEnd(text, start);
    const keep = (place: string) => !isAlwaysKeptPlace(place);
    push(spans, text, start, end, keep);
    // "moved from Leeds to Groningen": the place after "to" is the user's too.
    for (let more = 0; end !== undefined && more < 3; more += 1) {
      const then = THEN_TO.exec(text.slice(end, end + 20));
      if (then === null) break;
      start = end + then[0].length;
      end = personalPlaceEnd(text, start);
      push(spans, text, start, end, keep);
    }
  }
  for (const match of text.matchAll(NAMING_CUE)) {
    const start = match.index + match[0].length;
    push(spans, text, start, namedPlaceEnd(text, start), (place) => !isWellKnown('PLACE', place));
  }
  for (const match of text.matchAll(PLAIN_CUE)) {
    const start = match.index + match[0].length;
    const phrase = capitalizedPhrase(text, start);
    const end = phrase === undefined ? undefined : longestGazetteerMatch(text, phrase) ?? townShapedEnd(text, start, match[0]);
    push(spans, text, start, end, (place) => !isWellKnown('PLACE', place) && !isOrdinaryWord(place) && !CALENDAR.test(place));
  }
  return withoutHalfKeptNames(text, spans);
}

/** Looks at a bounded window before the verb, so long texts with many cues stay linear. */
function isFirstPerson(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - SUBJECT_WINDOW), at);
  if (FIRST_PERSON.test(before) || NO_SUBJECT_AFTER_BREAK.test(before)) return true;
  return at <= SUBJECT_WINDOW && NO_SUBJECT_AT_START.test(before);
}

function personalPlaceEnd(text: string, start: number): number | undefined {
  return namedPlaceEnd(text, start) ?? listedPlaceEnd(text, start);
}

/**
 * "in Headingley", "near Ormskirk": one capitalized word after "in"/"near" that neither
 * compromise nor the English word list knows and that ends like a town name (data/place-cues.ts).
 */
function townShapedEnd(text: string, start: number, cue: string): number | undefined {
  if (!LOCATIVE.test(cue)) return undefined;
  const word = /^\p{Lu}\p{Ll}+(?:-\p{L}+)*/u.exec(text.slice(start))?.[0];
  if (word === undefined || !TOWN_ENDINGS.test(word) || isKnownWord(compromiseNormal(word)) || isEnglishWord(word)) return undefined;
  return start + word.length;
}

function push(spans: FoundEntity[], text: string, start: number, end: number | undefined, keep: (place: string) => boolean): void {
  if (end !== undefined && end > start && keep(text.slice(start, end))) spans.push({ type: 'PLACE', start, end });
}

/**
 * A capitalized name after a strong cue. Everyday words, months and descriptions ("I was born
 * in March", "I grew up Catholic") only count when the gazetteer lists the whole name ("I grew
 * up in Reading").
 */
function namedPlaceEnd(text: string, start: number): number | undefined {
  const phrase: Phrase | undefined = capitalizedPhrase(text, start);
  if (phrase === undefined) return undefined;
  const end = phrase.ends[phrase.ends.length - 1]!;
  const words = text.slice(start, end).split(/[ \t-]+/u);
  if (words.some((word) => CALENDAR.test(word))) return undefined;
  if (!words.every((word) => isOrdinaryWord(word) || NOT_PLACES.has(word.toLowerCase()))) return end;
  return longestGazetteerMatch(text, phrase);
}

/** A name in any case after a personal cue, when the gazetteer lists it and it is no everyday word. */
function listedPlaceEnd(text: string, start: number): number | undefined {
  const phrase = anyCasePhrase(text, start);
  const end = phrase === undefined ? undefined : longestGazetteerMatch(text, phrase);
  if (end === undefined) return undefined;
  const place = text.slice(start, end);
  return isOrdinaryWord(place) || CALENDAR.test(place) ? undefined : end;
}
