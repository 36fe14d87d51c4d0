import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js';

/**
 * Countries whose numbers are written nationally with a leading 0 (the trunk prefix): a number
 * like "07700 900123", "030 901820" or "06 12 34 56 78" is tried as each of theirs.
 */
const TRUNK_ZERO_COUNTRIES: readonly CountryCode[] = ['GB', 'DE', 'FR', 'NL', 'BE', 'AT', 'CH', 'IE', 'IT', 'SE', 'FI', 'AU', 'NZ', 'ZA', 'IN'];

/**
 * Where only the length is checked: the UK, whose reserved drama and example numbers
 * ("07700 900123", Ofcom's) are left out of the numbering plan that isValid checks, and which
 * people type for real numbers' sake in examples as often as 555 numbers in the US.
 */
const LENGTH_ONLY_COUNTRIES: ReadonlySet<CountryCode> = new Set(['GB']);

/**
 * A 0 (or 00, the international prefix) and digit groups joined by a space, a dot, a slash or
 * a dash (with spaces around it or not): "07700 900123", "030/901820", "0044 20 7946 0958",
 * "(030) 901820". Separators are never empty, so a run of digits cannot be split two ways.
 */
export const NATIONAL_CANDIDATE = /(?<![\p{L}\p{N}+.,/-])(?:\(0\d{1,5}\)|0\d{1,12})(?:(?: ?[./-] ?| )\d{1,12}){0,6}(?![\p{L}\p{N}]|[.,/-]\d)/gu;

/**
 * Countries whose nine-digit numbers have no trunk 0 and are written in threes or 3-2-2-2:
 * Spain "612 34 56 78", Poland "512 345 678", Portugal "912 345 678". Only the spaced forms
 * are read: nine digits in one block are as often an order or an account number.
 */
const NINE_DIGIT_COUNTRIES: readonly CountryCode[] = ['ES', 'PL', 'PT'];
export const NINE_DIGIT_CANDIDATE = /(?<![\p{L}\p{N}+.,/-]|\d )[1-9]\d{2}(?: \d{3} \d{3}| \d{2} \d{2} \d{2})(?![\p{L}\p{N}]|[.,/-]\d| \d)/gu;

/** E.164 for a spaced nine-digit number valid in one of NINE_DIGIT_COUNTRIES. */
export function readNineDigitPhone(candidate: string): string | undefined {
  for (const country of NINE_DIGIT_COUNTRIES) {
    const phone = parsePhoneNumberFromString(candidate, country);
    if (phone?.country === country && phone.isValid()) return phone.number;
  }
  return undefined;
}

const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

export interface NationalPhone {
  /** Characters of the candidate that form the number (trailing groups that do not fit are dropped). */
  length: number;
  e164: string;
}

/**
 * The longest leading part of a candidate that is a phone number of one of the countries (or,
 * after 00, of the country it dials), read from its digit groups. Undefined when none is.
 */
export function readNationalPhone(candidate: string): NationalPhone | undefined {
  const ends = groupEnds(candidate);
  for (let i = ends.length - 1; i >= 0; i -= 1) {
    const written = candidate.slice(0, ends[i]);
    const digits = written.replace(/\D/gu, '').length;
    if (digits < MIN_DIGITS) break;
    if (digits > MAX_DIGITS) continue;
    const phone = parseNational(written, i + 1);
    if (phone !== undefined) return { length: written.length, e164: phone.number };
  }
  return undefined;
}

/** E.164 for a nationally written number ("07700 900123" → "+447700900123"), if it is one. */
export function nationalE164(written: string): string | undefined {
  return /^\(?0/u.test(written.trim()) ? parseNational(written.trim(), groupEnds(written.trim()).length)?.number : undefined;
}

function parseNational(written: string, groups: number): PhoneNumber | undefined {
  if (written.startsWith('00')) {
    const international = parsePhoneNumberFromString(`+${written.slice(2)}`);
    return international?.isValid() ? international : undefined;
  }
  for (const country of TRUNK_ZERO_COUNTRIES) {
    const phone = parsePhoneNumberFromString(written, country);
    if (phone === undefined || phone.country !== country) continue;
    if (phone.isValid() || (groups >= 2 && LENGTH_ONLY_COUNTRIES.has(country) && phone.isPossible())) return phone;
  }
  return undefined;
}

/** Offsets in the candidate where each digit group ends. */
function groupEnds(candidate: string): number[] {
  return [...candidate.matchAll(/\d+\)?/gu)].map((group) => group.index + group[0].length);
}
