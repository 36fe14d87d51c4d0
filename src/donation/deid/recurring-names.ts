import type { EntityType } from '../bundle-types';
import { compromiseNormal, isGrammarWord, isOrdinaryWord } from './compromise-lexicon';
import { ARTICLES, NEVER_NAMES } from './data/function-words';
import { CHAT_WORDS, SELF_DESCRIPTIONS } from './data/not-names';
import { isEnglishWord } from './english-words';
import type { FoundEntity } from './found-entity';
import { withoutHalfKeptNames } from './whole-names';

const WORD = /\p{L}[\p{L}\p{M}'’-]*/gu;
const POSSESSIVE = /['’]s?$/u;
/** Particles of family names: "van", "de", "bin" alone say nothing about who is meant. */
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'da', 'di', 'du', 'del', 'la', 'le', 'bin', 'bint', 'ibn', 'al', 'el', 'mc', 'mac', 'st']);
const NOT_NAMES = new Set([...NEVER_NAMES, ...ARTICLES, ...CHAT_WORDS, ...SELF_DESCRIPTIONS, ...PARTICLES]);
const REMEMBERED_TYPES: ReadonlySet<EntityType> = new Set(['PERSON', 'PLACE']);

interface Remembered {
  type: EntityType;
  /** compromiseNormal form: lower case, accents folded ("Łukasz" = "lukasz"). */
  words: string[];
  /** A name that is also an English word ("Grace", "Hunter") recurs only capitalized: "grace period" is no one. */
  capitalizedOnly: boolean;
}

/**
 * Names said once in a bundle, found again wherever they recur: "my gf leilani" in one message
 * makes "leilani" a person in every later one (and earlier in the same text), where no cue or
 * tagger would find the bare word. A person's given name and family name are remembered one by
 * one too ("Kwabena Asante" → "Asante"). Words that are also everyday words are never
 * remembered, so a mis-tagged "Will" or "Vegan" cannot spread; the memory lives as long as one
 * Deidentifier (one bundle) and is never written anywhere.
 */
export class RecurringNames {
  readonly #byFirstWord = new Map<string, Remembered[]>();

  remember(text: string, found: readonly FoundEntity[]): void {
    for (const span of found) {
      if (!REMEMBERED_TYPES.has(span.type)) continue;
      const words = (text.slice(span.start, span.end).match(WORD) ?? []).map((word) => word.replace(POSSESSIVE, ''));
      // "Little Snoring" is remembered whole for "Snoring"; "Vegan" alone is no name to spread.
      if (words.length === 0 || !(words.length === 1 ? isDistinctive(words[0]!) : words.some(isDistinctive))) continue;
      this.#add(span.type, words);
      if (span.type === 'PERSON' && words.length > 1) {
        for (const word of words) if (word.length >= 3 && isDistinctive(word)) this.#add('PERSON', [word]);
      }
    }
  }

  find(text: string): FoundEntity[] {
    if (this.#byFirstWord.size === 0) return [];
    const words = [...text.matchAll(WORD)].map((match) => {
      const bare = match[0].replace(POSSESSIVE, '');
      return { start: match.index, end: match.index + bare.length, normal: compromiseNormal(bare), capitalized: /^\p{Lu}/u.test(bare) };
    });
    const spans: FoundEntity[] = [];
    words.forEach((word, i) => {
      for (const name of this.#byFirstWord.get(word.normal) ?? []) {
        const last = words[i + name.words.length - 1];
        if (last === undefined || !name.words.every((part, offset) => words[i + offset]!.normal === part)) continue;
        if (name.capitalizedOnly && !words.slice(i, i + name.words.length).every((part) => part.capitalized)) continue;
        if (!/^[ \t]*$/u.test(words.slice(i + 1, i + name.words.length).map((next, k) => text.slice(words[i + k]!.end, next.start)).join(''))) continue;
        spans.push({ type: name.type, start: word.start, end: last.end });
      }
    });
    return withoutHalfKeptNames(text, spans);
  }

  #add(type: EntityType, written: readonly string[]): void {
    const words = written.map(compromiseNormal);
    const first = words[0]!;
    const known = this.#byFirstWord.get(first) ?? [];
    if (known.some((name) => name.words.join(' ') === words.join(' '))) return;
    const capitalizedOnly = written.some((word) => isEnglishWord(word));
    // Longest first, so "Kwabena Asante" wins over "Kwabena" where both stand.
    this.#byFirstWord.set(first, [...known, { type, words, capitalizedOnly }].sort((a, b) => b.words.length - a.words.length));
  }
}

function isDistinctive(word: string): boolean {
  if (word.length < 2 || NOT_NAMES.has(word.toLowerCase())) return false;
  return !isOrdinaryWord(word) && !isGrammarWord(word);
}
