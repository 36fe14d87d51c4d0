import isCreditCard from 'validator/lib/isCreditCard';
import type { FoundEntity } from '../found-entity';
import { groupsOf, validWindows } from '../grouped-runs';

/** Digits in groups joined by single spaces or dashes; not right after a `+` (a phone number). */
const DIGIT_RUN = /(?<![\p{L}\p{N}+])\d+(?:[ -]\d+)*/gu;
const GROUP_SEPARATOR = /[ -]/;

/**
 * 13–19 digits that a card issuer could have printed: validator's isCreditCard checks the
 * issuer prefixes and the Luhn checksum, so a mistyped or made-up number is kept.
 */
export function findCreditCards(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const run of text.matchAll(DIGIT_RUN)) {
    if (digitCount(run[0]) < 13) continue;
    const groups = groupsOf(run[0], run.index, GROUP_SEPARATOR);
    for (const window of validWindows(groups, 13, 19, (digits) => isCreditCard(digits))) {
      spans.push({ type: 'CREDIT_CARD', ...window });
    }
  }
  return spans;
}

/**
 * Runs that look like a card whatever their checksum: 13–19 digits, in one block or in groups
 * of four (the last may be shorter), or Amex's 4-6-5. The phone recognizer leaves these alone,
 * so a card number with a typo is kept rather than redacted as a phone.
 */
export function cardShapedRuns(text: string): Array<{ start: number; end: number }> {
  const runs: Array<{ start: number; end: number }> = [];
  for (const run of text.matchAll(DIGIT_RUN)) {
    const digits = digitCount(run[0]);
    if (digits < 13 || digits > 19) continue;
    const lengths = run[0].split(GROUP_SEPARATOR).map((group) => group.length);
    const fours = lengths.slice(0, -1).every((length) => length === 4);
    const amex = lengths.join('-') === '4-6-5';
    if (lengths.length === 1 || fours || amex) runs.push({ start: run.index, end: run.index + run[0].length });
  }
  return runs;
}

function digitCount(run: string): number {
  let n = 0;
  for (const c of run) if (c >= '0' && c <= '9') n += 1;
  return n;
}
