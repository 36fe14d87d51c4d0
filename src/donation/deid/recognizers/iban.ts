import { countrySpecs, electronicFormatIBAN, isValidIBAN, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import type { FoundEntity } from '../found-entity';
import { groupsOf, validWindows } from '../grouped-runs';

/**
 * A country code and two check digits, then 11–30 letters or digits, spaces allowed between
 * them. Case-insensitive: the checksum, not the case, tells an IBAN from a word.
 */
const IBAN_CANDIDATE = /(?<![\p{L}\p{N}])[a-z]{2}\d{2}(?: ?[a-z0-9]){11,30}/giu;

/** The shortest and longest IBANs any country issues. */
const IBAN_MIN_LENGTH = 15;
const IBAN_MAX_LENGTH = 34;

/** Only the checksums failed: the country, length and account format are an IBAN's. */
const CHECKSUM_ERRORS = new Set([
  ValidationErrorsIBAN.WrongIBANChecksum,
  ValidationErrorsIBAN.WrongAccountBankBranchChecksum,
  ValidationErrorsIBAN.QRIBANNotAllowed,
]);

/**
 * IBANs. The candidate may run on into following words ("… 7654 32 is mine"), so the groups
 * are shortened until one checks out, and the search goes on right after the IBAN (or the
 * candidate's first letter, when none was found), where the next IBAN may begin inside the
 * same candidate ("… 32 or DE89…"). Where no checksum holds, an IBAN-shaped window is still
 * taken: a typo in one digit leaves the other twenty real.
 */
export function findIbans(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  const candidates = new RegExp(IBAN_CANDIDATE.source, IBAN_CANDIDATE.flags);
  for (let candidate = candidates.exec(text); candidate !== null; candidate = candidates.exec(text)) {
    const start = candidate.index;
    const groups = groupsOf(candidate[0], start, / /);
    const startsWithCountry = (group: { start: number }) => group.start === start;
    const [iban] = validWindows(groups, IBAN_MIN_LENGTH, IBAN_MAX_LENGTH, isCheckedIban, startsWithCountry);
    const found = iban ?? (isWrittenCountryCode(candidate[0]) ? shapedWindow(groups, startsWithCountry) : undefined);
    if (found !== undefined) spans.push({ type: 'IBAN', ...found });
    candidates.lastIndex = found?.end ?? start + 1;
  }
  return spans;
}

/** Everything shaped like an IBAN, valid or not: the phone recognizer leaves these alone. */
export function ibanShapedRuns(text: string): Array<{ start: number; end: number }> {
  return [...text.matchAll(IBAN_CANDIDATE)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
}

function isCheckedIban(joined: string): boolean {
  const electronic = electronicFormatIBAN(joined);
  return electronic !== null && isValidIBAN(electronic);
}

/** Without a checksum to go by, a capitalized country code ("DE89 …", not "de12 …" in a word) is asked for. */
function isWrittenCountryCode(candidate: string): boolean {
  return /^[A-Z]{2}/.test(candidate);
}

type Groups = Parameters<typeof validWindows>[0];

/** The longest window whose only errors are checksums; else one a digit longer or shorter than the country's IBANs. */
function shapedWindow(groups: Groups, startsWithCountry: (group: { start: number }) => boolean) {
  const [exact] = validWindows(groups, IBAN_MIN_LENGTH, IBAN_MAX_LENGTH, (joined) => ibanErrors(joined).every((error) => CHECKSUM_ERRORS.has(error)), startsWithCountry);
  if (exact !== undefined) return exact;
  const [nearly] = validWindows(groups, IBAN_MIN_LENGTH - 1, IBAN_MAX_LENGTH + 1, isOneDigitOff, startsWithCountry);
  return nearly;
}

function ibanErrors(joined: string): ValidationErrorsIBAN[] {
  const electronic = electronicFormatIBAN(joined);
  return electronic === null ? [ValidationErrorsIBAN.NoIBANProvided] : validateIBAN(electronic).errorCodes;
}

/**
 * A digit dropped or doubled: the country is known, the check digits are digits, the length is
 * one off the country's, and the account part is mostly digits as in most countries' IBANs
 * (so "GB12 ABCD EFGH …" is not taken for one).
 */
function isOneDigitOff(joined: string): boolean {
  const errors = ibanErrors(joined);
  if (errors.includes(ValidationErrorsIBAN.NoIBANCountry) || errors.includes(ValidationErrorsIBAN.ChecksumNotNumber)) return false;
  if (!errors.includes(ValidationErrorsIBAN.WrongBBANLength)) return false;
  const electronic = electronicFormatIBAN(joined) ?? '';
  const expected = countryLength(electronic.slice(0, 2));
  const bban = electronic.slice(4);
  return Math.abs(electronic.length - expected) === 1 && bban.replace(/\D/g, '').length * 2 >= bban.length;
}

/** The IBAN length of a country, from ibantools' own specification. */
function countryLength(country: string): number {
  return countrySpecs[country]?.chars ?? 0;
}
