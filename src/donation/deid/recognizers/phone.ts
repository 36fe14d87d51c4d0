import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { FoundEntity } from '../found-entity';
import { windowsOf, type TextWindow } from '../text-windows';
import { cardShapedRuns } from './credit-card';
import { ibanShapedRuns } from './iban';

/** Numbers written without `+` are read as this country's; with `+` any country is found. */
export const DEFAULT_PHONE_COUNTRY: CountryCode = 'US';

/**
 * A North American number has an area code that never starts with 0 or 1. libphonenumber's
 * "possible" leniency only checks the length, and would otherwise read any ten digits
 * ("12345 67890") as a US number. The exchange is not checked: people type made-up-looking
 * exchanges ("(555) 123-4567") for real numbers often enough.
 */
const NANP_NATIONAL_NUMBER = /^[2-9]\d{9}$/;

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
 * the North American shape check, and leaving card- and IBAN-shaped runs to their recognizers
 * (a card number with a typo is kept, not redacted as a phone).
 */
export function findPhones(text: string): FoundEntity[] {
  const leftToOthers = [...cardShapedRuns(text), ...ibanShapedRuns(text)];
  const spans: FoundEntity[] = [];
  for (const segment of phoneSegments(text)) {
    const segmentText = text.slice(segment.start, segment.end);
    for (const found of findPhoneNumbersInText(segmentText, { defaultCountry: DEFAULT_PHONE_COUNTRY, extended: true })) {
      const { countryCallingCode, nationalNumber } = found.number;
      const start = segment.start + found.startsAt;
      const end = segment.start + found.endsAt;
      if (countryCallingCode === '1' && !NANP_NATIONAL_NUMBER.test(nationalNumber)) continue;
      if (leftToOthers.some((run) => run.start < end && start < run.end)) continue;
      // Overlapping windows find a number twice.
      if (!spans.some((span) => span.start === start && span.end === end)) spans.push({ type: 'PHONE', start, end });
    }
  }
  return spans;
}

/** The E.164 form ("+12125550143"), so one number written two ways gets one placeholder. */
export function phoneKey(written: string): string {
  return parsePhoneNumberFromString(written, DEFAULT_PHONE_COUNTRY)?.number ?? written.replace(/\D/g, '');
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
