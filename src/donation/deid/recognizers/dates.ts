/**
 * Calendar dates in the formats people type: 1990-04-12, 12/04/1990 (either order), 12.04.90,
 * April 12, 1990, Apr. 12th 1990, 12 April 1990, the 12th of April 1990. The year is optional
 * after a month name ("my birthday is April 12"). This file only finds dates; whether one is a
 * date of birth is decided by date-of-birth.ts.
 */
export interface DateMatch {
  start: number;
  end: number;
  /** The same date written two ways gets the same key where the order of day and month is certain. */
  key: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(?<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const DAY = String.raw`(?<day>\d{1,2})(?:st|nd|rd|th)?`;
const YEAR = String.raw`(?<year>\d{4})`;
const NOT_AFTER_WORD = String.raw`(?<![\p{L}\p{N}])`;
const NOT_BEFORE_WORD = String.raw`(?![\p{L}\p{N}]|[./-]\d)`;

const ISO_DATE = new RegExp(String.raw`${NOT_AFTER_WORD}(?<year>\d{4})([-/.])(?<month>\d{1,2})\2(?<day>\d{1,2})${NOT_BEFORE_WORD}`, 'gu');
const NUMERIC_DATE = new RegExp(String.raw`${NOT_AFTER_WORD}(?<first>\d{1,2})([/.-])(?<second>\d{1,2})\2(?<year>\d{4}|\d{2})${NOT_BEFORE_WORD}`, 'gu');
const MONTH_DAY_YEAR = new RegExp(String.raw`${NOT_AFTER_WORD}${MONTH}\s+${DAY}(?:,?\s+${YEAR})?${NOT_BEFORE_WORD}`, 'giu');
const DAY_MONTH_YEAR = new RegExp(String.raw`${NOT_AFTER_WORD}(?:the\s+)?${DAY}\s+(?:of\s+)?${MONTH}(?:,?\s+${YEAR})?${NOT_BEFORE_WORD}`, 'giu');

export function findDates(text: string): DateMatch[] {
  const dates: DateMatch[] = [];
  for (const match of text.matchAll(ISO_DATE)) {
    const { year, month, day } = match.groups ?? {};
    pushIfReal(dates, match, year, Number(month), Number(day));
  }
  for (const match of text.matchAll(NUMERIC_DATE)) {
    const { first, second, year } = match.groups ?? {};
    pushNumeric(dates, match, Number(first), Number(second), year ?? '');
  }
  for (const pattern of [MONTH_DAY_YEAR, DAY_MONTH_YEAR]) {
    for (const match of text.matchAll(pattern)) {
      const { month, day, year } = match.groups ?? {};
      pushIfReal(dates, match, year, monthNumber(month ?? ''), Number(day));
    }
  }
  return dates;
}

function pushIfReal(dates: DateMatch[], match: RegExpMatchArray, year: string | undefined, month: number, day: number): void {
  if (!isMonth(month) || !isDay(day)) return;
  const start = match.index ?? 0;
  dates.push({ start, end: start + match[0].length, key: `${year ?? '????'}-${pad(month)}-${pad(day)}` });
}

/** 04/12/1990 is April 12 in the US and 4 December elsewhere; the key keeps both readings apart. */
function pushNumeric(dates: DateMatch[], match: RegExpMatchArray, first: number, second: number, year: string): void {
  const dayFirst = isDay(first) && isMonth(second);
  const monthFirst = isMonth(first) && isDay(second);
  if (!dayFirst && !monthFirst) return;
  const start = match.index ?? 0;
  const key = dayFirst && monthFirst && first !== second
    ? `${year}-?${pad(first)}-${pad(second)}`
    : dayFirst ? `${year}-${pad(second)}-${pad(first)}` : `${year}-${pad(first)}-${pad(second)}`;
  dates.push({ start, end: start + match[0].length, key });
}

function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

const isMonth = (n: number) => Number.isInteger(n) && n >= 1 && n <= 12;
const isDay = (n: number) => Number.isInteger(n) && n >= 1 && n <= 31;
const pad = (n: number) => String(n).padStart(2, '0');
