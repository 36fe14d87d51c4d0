import type { EntityType } from '../bundle-types';
import type { FoundEntity } from './found-entity';

/**
 * Which type names a span when recognizers disagree, most trusted first: the user's own
 * declaration, then what a checksum or a strict syntax proved, then what context suggested,
 * then what the tagger guessed.
 */
export const TYPE_PRIORITY: readonly EntityType[] = [
  'DECLARED_TERM',
  'SECRET',
  'EMAIL',
  'URL',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'PHONE',
  'NATIONAL_ID',
  'IP_ADDRESS',
  'DATE_OF_BIRTH',
  'STREET_ADDRESS',
  'POSTAL_CODE',
  'USER_HANDLE',
  'LICENSE_PLATE',
  'AGE',
  'INSTITUTION',
  'PERSON',
  'PLACE',
];
const RANK = new Map(TYPE_PRIORITY.map((type, rank) => [type, rank]));
const rankOf = (type: EntityType) => RANK.get(type) ?? TYPE_PRIORITY.length;

/**
 * Turns every recognizer's spans into sorted, non-overlapping ones. Spans that share at least
 * one character become one span covering them all (half-redacted values leak). Its type:
 * a span that covers the whole group absorbs the others (the URL that contains an e-mail-like
 * query is a URL; the e-mail that contains a name is an e-mail); when none does, or several
 * do, the type highest in TYPE_PRIORITY wins. Spans that only touch stay apart.
 */
export function mergeSpans(spans: readonly FoundEntity[]): FoundEntity[] {
  const ordered = spans
    .filter((span) => span.end > span.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: FoundEntity[] = [];
  let group: FoundEntity[] = [];
  let groupEnd = -1;
  for (const span of ordered) {
    if (group.length > 0 && span.start >= groupEnd) {
      merged.push(mergeGroup(group, groupEnd));
      group = [];
    }
    group.push(span);
    groupEnd = Math.max(groupEnd, span.end);
  }
  if (group.length > 0) merged.push(mergeGroup(group, groupEnd));
  return merged;
}

function mergeGroup(group: readonly FoundEntity[], end: number): FoundEntity {
  const start = group[0]!.start;
  const covering = group.filter((span) => span.start === start && span.end === end);
  const deciders = covering.length > 0 ? covering : group;
  const type = deciders.reduce((best, span) => (rankOf(span.type) < rankOf(best.type) ? span : best)).type;
  return { type, start, end };
}
