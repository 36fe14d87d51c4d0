import isCreditCard from 'validator/lib/isCreditCard';
import type { FoundEntity } from '../found-entity';
import { groupsOf, validWindows, type Group } from '../grouped-runs';

/** Digits in groups joined by single spaces, dashes or dots; not right after a `+` (a phone number). */
const DIGIT_RUN = /(?<![\p{L}\p{N}+])\d+(?:[ .-]\d+)*/gu;
const GROUP_SEPARATOR = /[ .-]/;

/**
 * One unbroken block that an issuer could have printed, checksum aside: Visa, Mastercard
 * (51–55, 2221–2720), Amex, Diners, Discover, JCB, UnionPay and Maestro prefixes at the lengths
 * cards have today (15–19). A 13-digit EAN barcode or millisecond timestamp is none of these.
 */
const ISSUER_BLOCK = /^(?:4\d{15}(?:\d{3})?|5[1-5]\d{14}|2[2-7]\d{14}|3[47]\d{13}|3(?:0[0-5]|[689]\d)\d{12,15}|6\d{15,18}|5[06-9]\d{13,17})$/;

/** A block right after these words is a code, even with a card's prefix: "barcode 4006381333931". */
const CODE_BEFORE = /(?<![\p{L}])(?:barcode|ean|upc|gtin|isbn|sku|order|tracking|invoice|serial|imei)(?:\s*(?:no\.?|number|#|code))?\s*[:#]?\s*$/iu;

/**
 * Card numbers. What validator's isCreditCard accepts (issuer prefix and Luhn checksum) is
 * found inside longer runs of digit groups; the rest of a run is still a card when it is shaped
 * like one, whatever its checksum: a card number with one mistyped digit still gives away
 * fifteen real ones. Shaped means groups of four (the last may be shorter), Amex's 4-6-5,
 * Diners' 4-6-4, or one block with an issuer's prefix and length.
 */
export function findCreditCards(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const run of text.matchAll(DIGIT_RUN)) {
    if (digitCount(run[0]) < 13) continue;
    const groups = groupsOf(run[0], run.index, GROUP_SEPARATOR);
    const checked = validWindows(groups, 13, 19, (digits) => isCreditCard(digits));
    for (const window of checked) spans.push({ type: 'CREDIT_CARD', ...window });
    for (const rest of groupsOutside(groups, checked)) {
      for (const window of cardShapedWindows(rest)) {
        const oneBlock = !GROUP_SEPARATOR.test(text.slice(window.start, window.end));
        if (oneBlock && CODE_BEFORE.test(text.slice(Math.max(0, window.start - 24), window.start))) continue;
        spans.push({ type: 'CREDIT_CARD', ...window });
      }
    }
  }
  return spans;
}

/**
 * Runs the phone recognizer leaves alone: what this recognizer finds, and any unbroken block of
 * 13–19 digits (too long for a phone number, whatever else it is).
 */
export function cardShapedRuns(text: string): Array<{ start: number; end: number }> {
  const runs: Array<{ start: number; end: number }> = findCreditCards(text);
  for (const run of text.matchAll(DIGIT_RUN)) {
    const digits = run[0].length;
    if (digits >= 13 && digits <= 19 && /^\d+$/.test(run[0])) runs.push({ start: run.index, end: run.index + digits });
  }
  return runs;
}

/** The stretches of consecutive groups that no checked window covers. */
function groupsOutside(groups: readonly Group[], windows: ReadonlyArray<{ start: number; end: number }>): Group[][] {
  const stretches: Group[][] = [[]];
  for (const group of groups) {
    if (windows.some((window) => group.start >= window.start && group.end <= window.end)) stretches.push([]);
    else stretches.at(-1)!.push(group);
  }
  return stretches.filter((stretch) => stretch.length > 0);
}

/**
 * Card-shaped windows in a stretch of groups. Four or more groups of four in a row are taken
 * whole even past 19 digits ("2024 4111 1111 1111 1112" has the year in front; which group is
 * not the card cannot be told, and leaving any out leaks it), with a shorter group after them.
 */
function cardShapedWindows(groups: readonly Group[]): Array<{ start: number; end: number }> {
  const windows: Array<{ start: number; end: number }> = [];
  let i = 0;
  while (i < groups.length) {
    const taken = shapedFrom(groups, i);
    if (taken === 0) {
      i += 1;
      continue;
    }
    windows.push({ start: groups[i]!.start, end: groups[i + taken - 1]!.end });
    i += taken;
  }
  return windows;
}

/** How many groups from `first` on form a card shape, or 0. */
function shapedFrom(groups: readonly Group[], first: number): number {
  const lengths = groups.slice(first, first + 5).map((group) => group.text.length);
  if (ISSUER_BLOCK.test(groups[first]!.text)) return 1;
  const [a, b, c] = lengths;
  if (a === 4 && b === 6 && (c === 5 || c === 4)) return 3;
  let fours = 0;
  while (groups[first + fours]?.text.length === 4) fours += 1;
  const tail = groups[first + fours]?.text.length ?? 0;
  const withTail = tail >= 1 && tail <= 3 ? fours + 1 : fours;
  // Four fours and more, or three and a short last group (13–15 digits, "4111 1111 1111 111").
  return fours >= 4 || (fours === 3 && withTail === 4) ? withTail : 0;
}

function digitCount(run: string): number {
  let n = 0;
  for (const c of run) if (c >= '0' && c <= '9') n += 1;
  return n;
}
