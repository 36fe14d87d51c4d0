import type { FoundEntity } from '../found-entity';
import { isKnownNonNameWord } from '../compromise-lexicon';
import { isWellKnown } from '../keep-list';

/**
 * Names the tagger misses because it has never seen them, caught by how people introduce
 * themselves and others. After "my name is" / "call me" even a lowercase word counts ("my name
 * is kwame"), unless it is a word compromise knows as something else ("my name is not
 * important"). After "I'm" or "my neighbour" only capitalized words count, and not words
 * compromise knows as something else, or "I'm Tired" would be a name. ("A file called Config"
 * is why "called" and "named" are no cue.)
 */
const NAME_WORD = String.raw`[\p{L}][\p{L}'’-]*`;
const CAPITALIZED_WORD = String.raw`\p{Lu}[\p{L}'’-]*`;
const STRONG_CUE = new RegExp(String.raw`(?<![\p{L}])(?:[Mm]y name is|[Mm]y name['’]s|[Mm]y name was|[Cc]all me|[Ii] go by|[Nn]ame:)\s+(?<name>${NAME_WORD}(?:\s+${CAPITALIZED_WORD}){0,2})`, 'gu');
const RELATIONS = [
  'neighbou?r', 'friend', 'best friend', 'colleague', 'co-?worker', 'boss', 'manager', 'wife', 'husband', 'partner',
  'boyfriend', 'girlfriend', 'fianc[ée]e?', 'ex', 'son', 'daughter', 'brother', 'sister', 'mother', 'father', 'mom',
  'mum', 'dad', 'aunt', 'uncle', 'cousin', 'niece', 'nephew', 'grandma', 'grandmother', 'grandpa', 'grandfather',
  'teacher', 'doctor', 'therapist', 'landlord', 'landlady', 'roommate', 'flatmate', 'kid', 'child', 'baby',
].join('|');
const WEAK_CUE = new RegExp(
  String.raw`(?<![\p{L}])(?:[Ii]['’]m|[Ii] am|(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir)\s+(?:${RELATIONS}))\s+(?<name>${CAPITALIZED_WORD}(?:\s+${CAPITALIZED_WORD}){0,2})`,
  'gu',
);

export function findNameIntroductions(text: string): FoundEntity[] {
  return [...introduced(text, STRONG_CUE, false), ...introduced(text, WEAK_CUE, true)];
}

function introduced(text: string, cue: RegExp, capitalsOnly: boolean): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const match of text.matchAll(cue)) {
    const written = match.groups?.name ?? '';
    const words = leadingNameWords(written, capitalsOnly);
    if (words.length === 0) continue;
    const name = words.join(' ');
    if (isWellKnown('PERSON', name)) continue;
    // The name group ends the match; its words are separated by whitespace we measure back.
    const start = match.index + match[0].length - written.length;
    const end = start + nameLength(written, words.length);
    spans.push({ type: 'PERSON', start, end });
  }
  return spans;
}

/**
 * The words up to the first one that is not a name ("Sarah And Tom" → "Sarah"). Only the first
 * word after a strong cue is taken on the cue's word alone ("My name is Will"); every other
 * word must be capitalized and not a word compromise knows as something else.
 */
function leadingNameWords(written: string, capitalsOnly: boolean): string[] {
  const words: string[] = [];
  for (const word of written.split(/\s+/u)) {
    const bare = word.replace(/['’]s?$/u, '');
    const capitalized = /^\p{Lu}/u.test(bare);
    const knownOtherwise = isKnownNonNameWord(bare);
    const isName = !capitalsOnly && words.length === 0 ? capitalized || !knownOtherwise : capitalized && !knownOtherwise;
    if (!isName) break;
    words.push(bare);
  }
  return words;
}

/** Characters from the start of `written` to the end of its `count`-th word, without a possessive. */
function nameLength(written: string, count: number): number {
  const wordPattern = /\S+/gu;
  let end = 0;
  for (let i = 0; i < count; i += 1) {
    const word = wordPattern.exec(written);
    if (word === null) break;
    end = word.index + word[0].replace(/['’]s?$/u, '').length;
  }
  return end;
}
