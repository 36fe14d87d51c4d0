import type { FoundEntity } from '../found-entity';
import { findDates } from './dates';
import { wordStarts } from './word-starts';

/**
 * What may follow "turn 35" when it is an age: a time ("on the 3rd", "next week", "tomorrow"),
 * "years old", or the end of the clause. "turn 90 degrees" and "turn 2 pages" are not ages.
 */
const AFTER_TURNING = String.raw`(?=\s*(?:years?\s+old|yrs?\b|on\b|in\b|next\b|this\b|last\b|tomorrow\b|today\b|tonight\b|yesterday\b|recently\b|soon\b|later\b|at\s+the\s+end\b|before\b|after\b|when\b|and\b|but\b|so\b|[,.!?;:()]|$))`;

/**
 * "I turn 35 on …", "she turned 40 yesterday", "I'm turning 50 next year". Bare "turn" only
 * after a subject or an auxiliary (SUBJECT_BEFORE, checked in code): "turn 1" and "Turn 9:"
 * are turns of a game or a chat.
 */
const TURNING = new RegExp(String.raw`turn(?<form>s|ed|ing)?\s+(?<age>\d{1,3})(?!\d|[.,:]\d)${AFTER_TURNING}`, 'giu');
const SUBJECT_BEFORE = /(?<![\p{L}])(?:i|you|we|they|will|['’]ll|to|gonna|would|should|could|might|may|did|do|finally|just|soon|who)\s+$/iu;
const SUBJECT_REACH = 10;

/** "my 35th birthday", "her 40th bday", "its my 21st on friday": the ordinal is the age. */
const ORDINAL_BIRTHDAY = /(?<![\p{L}\p{N}])(?<age>\d{1,3}(?:st|nd|rd|th|\.))\s+(?:birthday|bday|b-day|geburtstag|anniversaire|cumpleaños|compleanno|verjaardag|urodziny)(?![\p{L}])/giu;
const MY_ORDINAL_ON = /(?<![\p{L}])(?:my|his|her|their|our)\s+(?<age>\d{1,3}(?:st|nd|rd|th))(?=\s+(?:is\s+)?on\b)/giu;

/** "(6 on tuesday 4th march)", "shes 92 on sunday 6th": an age right before "on" and a date. */
const AGE_ON = /(?:\(|(?:is|be|i['’]?m|am|she['’]?s|he['’]?s|they['’]?re|turns?|turning)\s+)(?<age>\d{1,3})\s+on\s+(?=\S)/giu;

/**
 * The same in the main European languages, with the word for "years" they need: "j'aurai
 * 35 ans", "cumplo 35 años", "compio 35 anni", "ik word 35 jaar", "kończę 35 lat"; German
 * "ich werde 35" also before "am"/"im" or the end of the clause.
 */
const TURNING_ELSEWHERE = /(?<![\p{L}])(?:aurai|aura|(?:fête|fêter|fêtera)\s+(?:mes|ses|nos)|cumplo|cumple|cumplí|compio|compie|ik\s+word|wordt|kończę|kończy)\s+(?<age>\d{1,3})(?=\s*(?:ans|años|anni|jaar|lat|op)(?![\p{L}]))/giu;
/** "ich werde 50", "ich werde am 8. Mai 50": the date may stand between the verb and the age. */
const TURNING_GERMAN = /(?<![\p{L}])(?:werde|wird|wurde)\s+(?:am\s+\d{1,2}\.\s*\p{L}+\.?\s+)?(?<age>\d{1,3})(?=\s*(?:jahre\b|am\b|im\b|nächste|morgen\b|heute\b|[,.!?;]|$))/giu;

/**
 * "I'm 42", "my son is 7", "aged 42", "age: 42", with an optional "years old"; a number
 * followed by a unit is no age.
 */
const AGE_STATEMENT = new RegExp(
  String.raw`(?:i['’]?m|i\s+am|hes|shes|theyre|youre|(?:he|she|you|we|they|who|son|daughter|kid|child|baby|brother|sister|mom|mum|mother|dad|father|wife|husband|partner|boyfriend|girlfriend|friend|grandma|grandpa|grandmother|grandfather)(?:['’]s|['’]re|\s+is|\s+are|\s+was)|aged|age\s*:?)` +
    String.raw`\s+(?<age>\d{1,3})(?![\d%]|[.,:]\d|\s*(?:%|percent|minutes?|mins?|hours?|days?|weeks?|km|miles?|kg|lbs?|cm|degrees?|feet|ft|inches?))`,
  'giu',
);

/** "29 this year" after a birthday: "my bday is 17 oct, 29 this year". */
const AGE_THIS_YEAR = /(?<![\p{L}\p{N}.,:])(?<age>\d{1,3})\s+(?:this|next)\s+year(?![\p{L}])/giu;

/** A birthday word anywhere in the same sentence ties a stated age (AGE_STATEMENT, AGE_THIS_YEAR) to a date of birth. */
const BIRTHDAY_WORD = /birth\s?day|bday|b-day|\bborn\b|date\s+of\s+birth|\bdob\b|geburtstag|geboren|anniversaire|cumpleaños|compleanno|verjaardag|urodziny/iu;
const SENTENCE_END = /[.!?\n]/u;
const SENTENCE_ENDS = /[.!?\n]/gu;
/** How far around an age a birthday word is looked for, inside its sentence. */
const BIRTHDAY_REACH = 80;

/**
 * Ages tied to a birthday: "I turn 35 on the 3rd of May", "I'm 42 and my birthday is …",
 * "my 35th birthday". With the day of the birthday such an age gives the date of birth away.
 * A bare "I'm 42" stays: it identifies nobody and often matters to the question. Only the
 * number is replaced, so the sentence still reads "I turn [AGE_1] on …".
 */
export function findAges(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  const isVerb = (match: RegExpExecArray) =>
    match.groups?.form !== undefined || SUBJECT_BEFORE.test(text.slice(Math.max(0, match.index - SUBJECT_REACH), match.index));
  for (const match of wordStarts(text, TURNING, isVerb)) spans.push(ageSpan(match));
  for (const pattern of [ORDINAL_BIRTHDAY, MY_ORDINAL_ON, TURNING_ELSEWHERE, TURNING_GERMAN]) {
    for (const match of text.matchAll(pattern)) spans.push(ageSpan(match));
  }
  let dates: ReturnType<typeof findDates> | undefined;
  for (const match of wordStarts(text, AGE_ON)) {
    const dateAt = match.index + match[0].length;
    dates ??= findDates(text);
    if (dates.some((date) => date.start === dateAt)) spans.push(ageSpan(match));
  }
  for (const pattern of [AGE_STATEMENT, AGE_THIS_YEAR]) {
    for (const match of wordStarts(text, pattern)) {
      const age = ageSpan(match);
      if (BIRTHDAY_WORD.test(sentenceAround(text, age.start, age.end))) spans.push(age);
    }
  }
  return spans;
}

function ageSpan(match: RegExpMatchArray): FoundEntity {
  const age = match.groups?.age ?? '';
  const start = (match.index ?? 0) + match[0].lastIndexOf(age);
  return { type: 'AGE', start, end: start + age.length };
}

/** Up to BIRTHDAY_REACH characters on either side of a span, cut at the sentence ends. */
function sentenceAround(text: string, start: number, end: number): string {
  const before = text.slice(Math.max(0, start - BIRTHDAY_REACH), start);
  const after = text.slice(end, end + BIRTHDAY_REACH);
  const lastEnd = Math.max(...[...before.matchAll(SENTENCE_ENDS)].map((m) => m.index), -1);
  const firstEnd = after.search(SENTENCE_END);
  return before.slice(lastEnd + 1) + text.slice(start, end) + (firstEnd === -1 ? after : after.slice(0, firstEnd));
}
