import { compromiseNormal, isKnownWord, isListedNameOrPlace, startsListedMultiWordName } from './compromise-lexicon';
import { windowsOf } from './text-windows';

export interface Chunk {
  start: number;
  end: number;
}

/** compromise slows down more than linearly on very long sentences: longer runs are cut. */
const MAX_CHUNK_LENGTH = 1200;
/** A cut repeats this much of the text before it, so a name is whole on one side. */
const CHUNK_OVERLAP = 60;

/** A sentence ends at . ! ? (with closing quotes or brackets) before whitespace, or at a line break. */
const SENTENCE = /[^\n]*?(?:[.!?]+["'’”)\]]*(?=\s|$)|\n|$)/gu;
/** Words as compromise splits them: apostrophes and hyphens end a word ("Seo-yeon", "John's"). */
const WORD = /\p{L}[\p{L}\p{M}]*/gu;

/**
 * The parts of a text worth giving to compromise: runs of whole sentences that hold at least
 * one word that could start a person's or a place's name. compromise tags ~60–100 KB/s, most
 * chat sentences name nobody, and it tags sentence by sentence anyway, so skipping the others
 * changes (almost) nothing it finds while making it about twice as fast on chat-like text
 * (bench/deid-bench.ts; tests/unit/deid compares both ways). A word can start a
 * name when compromise's dictionary lists it (alone or with the next one or two words) as a
 * name or place, in any case ("john", "new york"), or when it is capitalized and the dictionary
 * does not know it at all (names it has never seen: "Kwame", "Lakeside").
 */
export function nameBearingChunks(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  for (const sentence of text.matchAll(SENTENCE)) {
    if (sentence[0].length === 0 || !mayHoldName(sentence[0])) continue;
    const start = sentence.index;
    const end = start + sentence[0].length;
    const previous = chunks[chunks.length - 1];
    // Neighbouring sentences stay together, so compromise sees "Dr." next to "Maria García".
    if (previous !== undefined && text.slice(previous.end, start).trim() === '') previous.end = end;
    else chunks.push({ start, end });
  }
  return chunks.flatMap((chunk) => windowsOf(text, chunk.start, chunk.end, MAX_CHUNK_LENGTH, CHUNK_OVERLAP));
}

function mayHoldName(sentence: string): boolean {
  const words = sentence.match(WORD);
  if (words === null) return false;
  const normal = words.map(compromiseNormal);
  for (let i = 0; i < words.length; i += 1) {
    const word = normal[i]!;
    if (isListedNameOrPlace(word)) return true;
    if (/^\p{Lu}/u.test(words[i]!) && !isKnownWord(word)) return true;
    if (startsListedMultiWordName(normal, i)) return true;
  }
  return false;
}
