import { compromiseNormal, isKnownWord } from './compromise-lexicon';
import { isEnglishWord } from './english-words';
import type { FoundEntity } from './found-entity';

/**
 * compromise cuts names it half knows into pieces: "Saint-Cyr-sur-Loire" into people around
 * "sur", "Kingston upon Thames" into two places, "Marieke de Vries" into "Vries". Pieces left
 * between placeholders leak the name, so the spans are grown back to the whole name here.
 */
const HYPHENATED_LETTERS_BEFORE = /[\p{L}][\p{L}'’]*(?:-[\p{L}][\p{L}'’]*)*-$/u;
const HYPHENATED_LETTERS_AFTER = /^(?:-[\p{L}][\p{L}'’]*)+/u;
/** Lower-case parts that make a hyphenated name a place: "Ashby-de-la-Zouch", "Stratford-upon-Avon". */
const PLACE_PARTS = /-(?:de|la|le|les|lès|sur|sous|upon|on|en|au|aux|am|an|im|del|di|da|du)-/iu;
/** "upon Thames", "im Breisgau", "del Grappa", "Market": what continues a place name after it. */
const PLACE_CONTINUES = /^[ \t]+(?:(?:upon|on|im|am|an der|del|della|di|de la|de|sur|sul|sulla|le|la)[ \t]+\p{Lu}[\p{L}'’-]*|(?:Market|Bay|Beach|Heights|Hills|Falls|Springs|Green|Common|Cross|End|Hill|Valley|Vale|Bridge|Junction|Harbour|Harbor|Point|Island|Lake|Creek|Village|Regis|Magna|Parva)(?![\p{L}]))/u;
/** "Marieke de Vries", "Ana dos Santos", "Ludwig van Beethoven": a given name and particle before. */
const PARTICLE_BEFORE = /(?:\p{Lu}[\p{L}'’-]+[ \t]+)?(?<![\p{L}])(?:van der|van den|van de|van|von|de la|de|der|den|da|di|del|della|dos|das|du|le|la|al|el|bin|ibn|ter|ten)[ \t]+$/u;
const PARTICLE = /^(?:van|von|de|der|den|da|di|del|della|dos|das|du|le|la|al|el|bin|ibn|ter|ten)[ \t]/u;
const GIVEN_NAME_BEFORE = /\p{Lu}[\p{L}'’-]+[ \t]+$/u;
/** "Femi and Sam": a capitalized word nobody's dictionary knows, joined to a person by "and". */
const AND_BEFORE = /(?:^|[^\p{L}])(\p{Lu}\p{Ll}+)[ \t]+(?:and|&)[ \t]+$/u;
const AND_AFTER = /^[ \t]+(?:and|&)[ \t]+(\p{Lu}\p{Ll}+)(?![\p{L}])/u;

export function grownNameSpans(text: string, spans: readonly FoundEntity[]): FoundEntity[] {
  const grown = spans.map((span) => growHyphenated(text, growPlace(text, growParticle(text, span))));
  return [...grown, ...grown.flatMap((span) => (span.type === 'PERSON' ? joinedByAnd(text, span) : []))];
}

function growHyphenated(text: string, span: FoundEntity): FoundEntity {
  const before = HYPHENATED_LETTERS_BEFORE.exec(text.slice(Math.max(0, span.start - 40), span.start))?.[0] ?? '';
  const after = HYPHENATED_LETTERS_AFTER.exec(text.slice(span.end, span.end + 40))?.[0] ?? '';
  if (before === '' && after === '') return span;
  const start = span.start - before.length;
  const end = span.end + after.length;
  return { type: PLACE_PARTS.test(text.slice(start, end)) ? 'PLACE' : span.type, start, end };
}

function growPlace(text: string, span: FoundEntity): FoundEntity {
  if (span.type !== 'PLACE') return span;
  const more = PLACE_CONTINUES.exec(text.slice(span.end, span.end + 40))?.[0];
  return more === undefined ? span : { ...span, end: span.end + more.length };
}

function growParticle(text: string, span: FoundEntity): FoundEntity {
  if (span.type !== 'PERSON') return span;
  const window = text.slice(Math.max(0, span.start - 40), span.start);
  // The tagger may have taken the particle already ("de Vries"); then only the given name is missing.
  const before = PARTICLE.test(text.slice(span.start, span.end)) ? GIVEN_NAME_BEFORE.exec(window)?.[0] : PARTICLE_BEFORE.exec(window)?.[0];
  return before === undefined ? span : { ...span, start: span.start - before.length };
}

function joinedByAnd(text: string, span: FoundEntity): FoundEntity[] {
  const found: FoundEntity[] = [];
  const before = AND_BEFORE.exec(text.slice(Math.max(0, span.start - 40), span.start));
  if (before !== null && isUnknownName(before[1]!)) {
    const start = span.start - before[0].length + before[0].indexOf(before[1]!);
    found.push({ type: 'PERSON', start, end: start + before[1]!.length });
  }
  const after = AND_AFTER.exec(text.slice(span.end, span.end + 40));
  if (after !== null && isUnknownName(after[1]!)) {
    const start = span.end + after[0].length - after[1]!.length;
    found.push({ type: 'PERSON', start, end: start + after[1]!.length });
  }
  return found;
}

function isUnknownName(word: string): boolean {
  return !isKnownWord(compromiseNormal(word)) && !isEnglishWord(word);
}
