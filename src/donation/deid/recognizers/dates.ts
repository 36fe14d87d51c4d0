import { MONTH_NAME_PATTERN, monthNumber } from './month-names';
import { wordStarts } from './word-starts';

/**
 * Calendar dates in the formats people type: 1990-04-12, 12/04/1990 (either order), 12.04.90,
 * April 12, 1990, Apr. 12th 1990, 12 April 1990, the 12th of April 1990, friday 9th august,
 * sunday 6th, and the European orders with their month names: 3. November 1984, 1er juin 1988,
 * 5 de marzo de 1990, 12 maart 1985, 14 lutego 1979. The year is optional after a month name
 * ("my birthday is April 12"). This file only finds dates; whether one is a date of birth is
 * decided by date-of-birth.ts.
 */
export interface DateMatch {
  start: number;
  end: number;
  /** The same date written two ways gets the same key where the order of day and month is certain. */
  key: string;
}

const MONTH = String.raw`(?<month>${MONTH_NAME_PATTERN})\.?`;
const DAY = String.raw`(?<day>\d{1,2})(?:st|nd|rd|th)?`;
/** Before a month name also 1er (French), 1º, and 3. (German); "de" and "of" may join day, month and year. */
const DAY_BEFORE_MONTH = String.raw`(?<day>\d{1,2})(?:st|nd|rd|th|er|º|\.)?`;
const JOIN_MONTH = String.raw`(?:of\s+|de\s+)?`;
const JOIN_YEAR = String.raw`(?:,?\s+(?:de\s+|del\s+)?)`;
const YEAR = String.raw`(?<year>\d{4})`;
const NOT_BEFORE_WORD = String.raw`(?![\p{L}\p{N}]|[./-]\d)`;

/*
 * Every pattern starts at a digit or, month first, at any word followed by a number; whether a
 * word is a month, and whether a match starts a word (wordStarts), is checked in code. A month
 * alternation tried at every position of the text made date search four times slower.
 */
const ISO_DATE = new RegExp(String.raw`(?<year>\d{4})([-/.])(?<month>\d{1,2})\2(?<day>\d{1,2})${NOT_BEFORE_WORD}`, 'gu');
const NUMERIC_DATE = new RegExp(String.raw`(?<first>\d{1,2})([/.-])(?<second>\d{1,2})\2(?<year>\d{4}|\d{2})${NOT_BEFORE_WORD}`, 'gu');
/** Month first: found from the day ("12", "12th, 1990"); the month is the word before it (MONTH_BEFORE). */
const DAY_AFTER_MONTH = new RegExp(String.raw`${DAY}(?:,?\s+${YEAR})?${NOT_BEFORE_WORD}`, 'gu');
const MONTH_BEFORE = /(?<![\p{L}\p{N}])(?<month>\p{L}{3,12})\.?\s+$/u;
const DAY_MONTH_YEAR = new RegExp(String.raw`${DAY_BEFORE_MONTH}\s+${JOIN_MONTH}${MONTH}(?:${JOIN_YEAR}${YEAR})?${NOT_BEFORE_WORD}`, 'giu');
/** "sunday 6th", "Friday the 13th": a day of a month the reader knows, no month written. */
const ORDINAL_DAY = new RegExp(String.raw`(?<day>\d{1,2})(?:st|nd|rd|th)(?!\s+(?:of\s+)?(?:${MONTH_NAME_PATTERN})(?![\p{L}]))${NOT_BEFORE_WORD}`, 'giu');

/** What may stand before a date and belongs to it: "friday ", "Tuesday, ", "the ", "friday the ". */
const WEEKDAY = String.raw`(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?`;
const WEEKDAY_THE_BEFORE = new RegExp(String.raw`(?<![\p{L}\p{N}])${WEEKDAY},?\s+(?:the\s+)?$`, 'iu');
const THE_BEFORE = /(?<![\p{L}\p{N}])the\s+$/iu;
const REACH_BACK = 16;

export function findDates(text: string): DateMatch[] {
  const dates: DateMatch[] = [];
  for (const match of wordStarts(text, ISO_DATE)) {
    const { year, month, day } = match.groups ?? {};
    pushIfReal(dates, match.index, match, year, Number(month), Number(day));
  }
  for (const match of wordStarts(text, NUMERIC_DATE)) {
    const { first, second, year } = match.groups ?? {};
    pushNumeric(dates, match, Number(first), Number(second), year ?? '');
  }
  for (const match of wordStarts(text, DAY_AFTER_MONTH)) {
    const month = MONTH_BEFORE.exec(text.slice(Math.max(0, match.index - REACH_BACK), match.index));
    const number = monthNumber(month?.groups?.month ?? '');
    if (month === null || number === 0) continue;
    const monthStart = match.index - month[0].length;
    const { day, year } = match.groups ?? {};
    pushIfReal(dates, extendBack(text, monthStart, WEEKDAY_THE_BEFORE), match, year, number, Number(day));
  }
  for (const match of wordStarts(text, DAY_MONTH_YEAR)) {
    const { month, day, year } = match.groups ?? {};
    pushIfReal(dates, extendBack(text, match.index, WEEKDAY_THE_BEFORE, THE_BEFORE), match, year, monthNumber(month ?? '') || -1, Number(day));
  }
  for (const match of wordStarts(text, ORDINAL_DAY)) {
    // An ordinal alone ("the 3rd floor") is no date; after a weekday it is.
    const start = extendBack(text, match.index, WEEKDAY_THE_BEFORE);
    if (start < match.index) pushIfReal(dates, start, match, undefined, 0, Number(match.groups?.day));
  }
  return dates;
}

/** Where a date starting at `index` really starts: before the first of `prefixes` the text there ends with ("friday ", "the "). */
function extendBack(text: string, index: number, ...prefixes: RegExp[]): number {
  const before = text.slice(Math.max(0, index - REACH_BACK), index);
  for (const prefix of prefixes) {
    const found = prefix.exec(before);
    if (found !== null) return index - found[0].length;
  }
  return index;
}

/** Month 0: not written ("sunday 6th"); the key says so. */
function pushIfReal(dates: DateMatch[], start: number, match: RegExpExecArray, year: string | undefined, month: number, day: number): void {
  if ((month !== 0 && !isMonth(month)) || !isDay(day)) return;
  dates.push({ start, end: match.index + match[0].length, key: `${year ?? '????'}-${month === 0 ? '??' : pad(month)}-${pad(day)}` });
}

/** 04/12/1990 is April 12 in the US and 4 December elsewhere; the key keeps both readings apart. */
function pushNumeric(dates: DateMatch[], match: RegExpExecArray, first: number, second: number, year: string): void {
  const dayFirst = isDay(first) && isMonth(second);
  const monthFirst = isMonth(first) && isDay(second);
  if (!dayFirst && !monthFirst) return;
  const start = match.index;
  const key = dayFirst && monthFirst && first !== second
    ? `${year}-?${pad(first)}-${pad(second)}`
    : dayFirst ? `${year}-${pad(second)}-${pad(first)}` : `${year}-${pad(first)}-${pad(second)}`;
  dates.push({ start, end: start + match[0].length, key });
}

const isMonth = (n: number) => Number.isInteger(n) && n >= 1 && n <= 12;
const isDay = (n: number) => Number.isInteger(n) && n >= 1 && n <= 31;
const pad = (n: number) => String(n).padStart(2, '0');
