import nlp from 'compromise';
import type { EntityType } from '../../bundle-types';
import { isDistinctiveListedName } from '../compromise-lexicon';
import { SELF_DESCRIPTIONS } from '../data/not-names';
import { isEnglishWord } from '../english-words';
import type { FoundEntity } from '../found-entity';
import { trimFunctionWords } from '../function-word-trim';
import { isWellKnown } from '../keep-list';
import { nameBearingChunks, type Chunk } from '../name-bearing-chunks';
import { grownNameSpans } from '../name-span-joins';
import { withoutHalfKeptNames } from '../whole-names';

/** The part of compromise's `.json({ offset: true })` output this file reads. */
interface TaggedTerm {
  normal: string;
  /** What follows the word up to the next one: spaces and punctuation. */
  post: string;
  tags: string[];
  offset: { start: number; length: number };
}
interface TaggedMatch {
  terms: TaggedTerm[];
}

/**
 * Words compromise sometimes takes into a name: a letter's greeting ("Dear Mr. Henderson") and
 * titles. A title stays outside the placeholder ("Dr. [PERSON_1]"): it tells the reader
 * something about the conversation and nothing about who the person is.
 */
const GREETINGS = new Set(['dear', 'hi', 'hello', 'hey', 'thanks', 'thank', 'regards', 'cheers', 'love', 'sincerely', 'yours', 'best']);
/** compromise reads a lone "April", "May" or "June" as a first name too often. */
const CALENDAR_WORDS = /^(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|august|sept?(?:ember)?|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/iu;
/** "Obama's speech": the possessive stays outside the placeholder. */
const POSSESSIVE = /['’]s?$/u;
/** "Ik ben Vegan", "Irish" alone: a description compromise took for a name. */
const DESCRIPTIONS = new Set(SELF_DESCRIPTIONS);
/**
 * Sights and events named after places say nothing about who is asking ("is the Taj Mahal
 * open", "the Treaty of Versailles"); where the user lives near one, places-gazetteer.ts finds
 * it after the personal cue instead.
 */
const LANDMARK = /^(?:Lake|Loch|Mount|Mt\.?|Park)\s|\s(?:Bridge|Palace|Tower|Museum|Cathedral|Castle|Abbey|Gallery|Stadium|Square|Mahal|Park|Gardens|Temple|Falls|Canyon|Monument|Memorial|Basilica|Fort|Lighthouse)$/u;
const NAMED_AFTER_PLACE = /(?:Treaty|Battle|Siege|Congress|Peace|Council|Edict|Declaration|Sack|Fall|University|Duke|Duchess|Earl|Prince|Princess)\s+of\s+$/u;

/**
 * Person and place names as tagged by compromise (a rule-based English tagger: it leans on
 * capital letters and its own name lists, so lowercase or unusual names in odd positions can
 * be missed, and capitalized words mis-tagged). Names on the keep-list are left in the text.
 *
 * compromise only sees the sentences that may hold a name (name-bearing-chunks.ts), joined by
 * line breaks (which always end a sentence for it) into one document: one parse per text, as
 * each parse has a fixed cost of its own.
 */
export function findPeopleAndPlaces(text: string, chunks: readonly Chunk[] = nameBearingChunks(text)): FoundEntity[] {
  if (chunks.length === 0) return [];
  const excerpt = new Excerpt(text, chunks);
  const doc = nlp(excerpt.text);
  const spans = [
    ...joinNeighbours(spansOf(doc.people().json({ offset: true }) as TaggedMatch[], 'PERSON', text, excerpt), text),
    ...spansOf(doc.places().json({ offset: true }) as TaggedMatch[], 'PLACE', text, excerpt),
  ];
  // Kept names are dropped after growing: "Kingston" is well known, "Kingston upon Thames" is not.
  const grown = grownNameSpans(text, spans).filter((span) => !isWellKnown(span.type, text.slice(span.start, span.end)));
  return withoutHalfKeptNames(text, grown);
}

/**
 * compromise sometimes cuts one name in two ("John Smith's dog" → "John", "Smith"); names
 * separated by a single space are one name, and get one placeholder.
 */
function joinNeighbours(spans: FoundEntity[], text: string): FoundEntity[] {
  const joined: FoundEntity[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const previous = joined[joined.length - 1];
    if (previous !== undefined && span.start === previous.end + 1 && text[previous.end] === ' ') previous.end = span.end;
    else joined.push({ ...span });
  }
  return joined;
}

/** The chunks of a text one after another, and the way back from its offsets to the text's. */
class Excerpt {
  readonly text: string;
  readonly #starts: Array<{ inExcerpt: number; inText: number }> = [];

  constructor(text: string, chunks: readonly Chunk[]) {
    let excerpt = '';
    for (const chunk of chunks) {
      this.#starts.push({ inExcerpt: excerpt.length, inText: chunk.start });
      excerpt += `${text.slice(chunk.start, chunk.end)}\n`;
    }
    this.text = excerpt;
  }

  /** The text offset of an excerpt offset (of a character the excerpt took from the text). */
  toText(offset: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#starts[middle]!.inExcerpt <= offset) low = middle;
      else high = middle - 1;
    }
    const start = this.#starts[low]!;
    return start.inText + offset - start.inExcerpt;
  }
}

/**
 * compromise lets a name run on over a comma or semicolon ("Ada Lovelace; john smith"); a name
 * ends where anything but spaces or an initial's full stop follows a word.
 */
const NAME_CONTINUES = /^\.?[ \t]*$/u;

function namesIn(match: TaggedMatch): TaggedTerm[][] {
  const names: TaggedTerm[][] = [[]];
  for (const term of match.terms) {
    names[names.length - 1]!.push(term);
    if (!NAME_CONTINUES.test(term.post)) names.push([]);
  }
  return names.filter((terms) => terms.length > 0);
}

/**
 * "grace period", "quanto costa", "muitos dias": a lone lower-case word compromise lists as a name
 * but that is an English word, or only a family name (those are words in other languages more
 * often than people written in lower case). "leilani", "kwame" stay.
 */
function isLowercaseWord(written: string): boolean {
  if (!/^\p{Ll}+$/u.test(written)) return false;
  return isEnglishWord(written) || !isDistinctiveListedName(written);
}

function spansOf(matches: readonly TaggedMatch[], type: EntityType, text: string, excerpt: Excerpt): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const name of matches.flatMap(namesIn)) {
    const terms = name.filter((term) => !term.tags.includes('Honorific'));
    while (terms.length > 0 && GREETINGS.has(terms[0]!.normal)) terms.shift();
    const first = terms[0];
    const last = terms[terms.length - 1];
    if (first === undefined || last === undefined) continue;
    const tagged = excerpt.toText(first.offset.start);
    let taggedEnd = excerpt.toText(last.offset.start) + last.offset.length;
    taggedEnd -= POSSESSIVE.exec(text.slice(tagged, taggedEnd))?.[0].length ?? 0;
    // compromise is English-only: "ist" is a place to it, "Berlin ist" one name.
    const trimmed = trimFunctionWords(text, tagged, taggedEnd);
    if (trimmed === undefined) continue;
    const { start, end } = trimmed;
    const written = text.slice(start, end);
    if (!/\p{L}/u.test(written) || CALENDAR_WORDS.test(written) || DESCRIPTIONS.has(written.toLowerCase())) continue;
    if (type === 'PERSON' && isLowercaseWord(written)) continue;
    if (type === 'PLACE' && (LANDMARK.test(written) || NAMED_AFTER_PLACE.test(text.slice(Math.max(0, start - 30), start)))) continue;
    spans.push({ type, start, end });
  }
  return spans;
}
