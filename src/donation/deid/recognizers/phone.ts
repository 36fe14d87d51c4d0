import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { FoundEntity } from '../found-entity';
import { windowsOf, type TextWindow } from '../text-windows';
import { cardShapedRuns } from './credit-card';
import { findDates } from './dates';
import { ibanShapedRuns } from './iban';
import { findNationalIds } from './national-ids';
import { isOtherNumber } from './phone-context';
import { NATIONAL_CANDIDATE, nationalE164, NINE_DIGIT_CANDIDATE, readNationalPhone, readNineDigitPhone } from './phone-national';

/**
 * Numbers written without `+` are read as this country's; with `+` any country is found, and
 * numbers with a leading 0 are tried against the countries that write one (phone-national.ts).
 */
export const DEFAULT_PHONE_COUNTRY: CountryCode = 'US';

/**
 * A North American number has an area code that never starts with 0 or 1. libphonenumber's
 * "possible" leniency only checks the length, and would otherwise read any ten digits
 * ("12345 67890") as a US number. The exchange is not checked: people type made-up-looking
 * exchanges ("(555) 123-4567") for real numbers often enough.
 */
const NANP_NATIONAL_NUMBER = /^[2-9]\d{9}$/;
/** "(123) 456-7890", "123-456-7890": written the North American way, the area code does not matter. */
const NANP_LAYOUT = /^(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[.-])\d{3}[.-]\d{4}$/;
/** "4 8 15 16 23 42": numbers of one or two digits in a row are a list (lottery, scores), never a phone without + or 0. */
const SMALL_NUMBERS = /^[1-9]\d?(?:[ ,.-]+\d{1,2})+$/;
/** Four or more dotted numbers ("122.0.6261.112") are a version or an address, never a phone. */
const DOTTED_RUN = /(?<![\d.])\d+(?:\.\d+){3,}(?!\d|\.\d)/g;

/** Text between list separators and line breaks: no phone number spans one. */
const BETWEEN_SEPARATORS = /[^,;\n]+/gu;
/** Fewer digits than this is no phone number anywhere (a local number has seven). */
const MIN_PHONE_DIGITS = 7;
const MAX_SEGMENT_LENGTH = 400;
/** Longer than any written phone number with its extension. */
const SEGMENT_OVERLAP = 40;

/**
 * Phone numbers found by libphonenumber-js. "Possible" leniency (length only, not the
 * number plan) because fictional-looking numbers such as (555) 123-4567 are typed by real
 * people too; what keeps years, dates and IDs out is libphonenumber's own candidate grammar,
 * the North American shape check, the words around a number ("order 4567891234", "$…"), and
 * leaving card-, IBAN- and ID-shaped runs to their recognizers (those are replaced anyway).
 * National formats of other countries ("07700 900123", "030 901820") are read separately.
 */
export function findPhones(text: string): FoundEntity[] {
  const leftToOthers = [...cardShapedRuns(text), ...ibanShapedRuns(text), ...findNationalIds(text), ...dottedRuns(text)];
  const spans: FoundEntity[] = [];
  const add = (start: number, end: number) => {
    if (leftToOthers.some((run) => run.start < end && start < run.end) || isOtherNumber(text, start, end)) return;
    // Overlapping windows find a number twice.
    if (!spans.some((span) => span.start === start && span.end === end)) spans.push({ type: 'PHONE', start, end });
  };
  for (const segment of phoneSegments(text)) {
    const segmentText = text.slice(segment.start, segment.end);
    for (const found of findPhoneNumbersInText(segmentText, { defaultCountry: DEFAULT_PHONE_COUNTRY, extended: true })) {
      const { countryCallingCode, nationalNumber } = found.number;
      const written = segmentText.slice(found.startsAt, found.endsAt);
      if (countryCallingCode === '1' && !NANP_NATIONAL_NUMBER.test(nationalNumber) && !NANP_LAYOUT.test(written)) continue;
      if (SMALL_NUMBERS.test(written)) continue;
      add(segment.start + found.startsAt, segment.start + found.endsAt);
    }
  }
  for (const national of findNationalFormats(text)) add(national.start, national.end);
  for (const match of text.matchAll(NINE_DIGIT_CANDIDATE)) {
    if (readNineDigitPhone(match[0]) !== undefined) add(match.index, match.index + match[0].length);
  }
  return spans;
}

function dottedRuns(text: string): Array<{ start: number; end: number }> {
  return [...text.matchAll(DOTTED_RUN)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
}

/** Numbers with a trunk 0 or the 00 prefix; dates written with dots or dashes ("01.02.2023") are not numbers. */
function findNationalFormats(text: string): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  let dates: Array<{ start: number; end: number }> | undefined;
  for (const candidate of text.matchAll(NATIONAL_CANDIDATE)) {
    const phone = readNationalPhone(candidate[0]);
    if (phone === undefined) continue;
    const start = candidate.index;
    const end = start + phone.length;
    dates ??= findDates(text);
    if (!dates.some((date) => date.start < end && start < date.end)) found.push({ start, end });
  }
  return found;
}

/** The E.164 form ("+12125550143"), so one number written two ways gets one placeholder. */
export function phoneKey(written: string): string {
  return nationalE164(written) ?? parsePhoneNumberFromString(written, DEFAULT_PHONE_COUNTRY)?.number ?? written.replace(/\D/g, '');
}

/**
 * Where phone numbers are searched: the text between commas, semicolons and line breaks, and
 * only the pieces with enough digits for a phone number. libphonenumber reads ", 415" after a
 * number as a dialling pause and an extension, which would swallow the start of the next number
 * in a list ("(555) 123-4567, 415.555.2671"). Long pieces are searched in overlapping windows,
 * as libphonenumber slows down more than linearly on long runs of digits and letters.
 */
function phoneSegments(text: string): TextWindow[] {
  const segments: TextWindow[] = [];
  for (const piece of text.matchAll(BETWEEN_SEPARATORS)) {
    if (countDigits(piece[0]) < MIN_PHONE_DIGITS) continue;
    segments.push(...windowsOf(text, piece.index, piece.index + piece[0].length, MAX_SEGMENT_LENGTH, SEGMENT_OVERLAP));
  }
  return segments;
}

function countDigits(piece: string): number {
  let digits = 0;
  for (let i = 0; i < piece.length; i += 1) {
    const code = piece.charCodeAt(i);
    if (code >= 48 && code <= 57) digits += 1;
  }
  return digits;
}
