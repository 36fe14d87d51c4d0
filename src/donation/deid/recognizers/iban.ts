import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
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

/**
 * IBANs whose country format and mod-97 checksum ibantools accepts. The candidate may run on
 * into following words ("… 7654 32 is mine"), so the groups are shortened until one checks out,
 * and the search goes on right after the IBAN (or the candidate's first letter, when none was
 * found), where the next IBAN may begin inside the same candidate ("… 32 or DE89…").
 */
export function findIbans(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  const candidates = new RegExp(IBAN_CANDIDATE.source, IBAN_CANDIDATE.flags);
  for (let candidate = candidates.exec(text); candidate !== null; candidate = candidates.exec(text)) {
    const start = candidate.index;
    const groups = groupsOf(candidate[0], start, / /);
    const startsWithCountry = (group: { start: number }) => group.start === start;
    const [iban] = validWindows(groups, IBAN_MIN_LENGTH, IBAN_MAX_LENGTH, isCheckedIban, startsWithCountry);
    if (iban !== undefined) spans.push({ type: 'IBAN', ...iban });
    candidates.lastIndex = iban?.end ?? start + 1;
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
