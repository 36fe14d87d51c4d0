import type { FoundEntity } from '../found-entity';
import { findDates } from './dates';

/** How far before a date a birth cue may stand ("born on the", "DOB:", "birthday is"). */
const LOOK_BEHIND_CHARS = 48;

/**
 * A cue, then at most 25 characters without a sentence end (a full stop followed by a space
 * ends a sentence; the dots of "D.O.B." or "approx." do not).
 */
const CUE_BEFORE = /(?:\bborn\b|\bd\.?o\.?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s?date\b|\bbirth\s?day\b)(?:[^.!?\n]|\.(?=\S)){0,25}$/iu;

/**
 * "(b. 1990-04-12)", "Ada, b. 1815-12-10" as in a biography: only directly before the date and
 * after a bracket or comma, or "plan b. 12/04" would count.
 */
const ABBREVIATED_BORN_BEFORE = /(?:^|[(,;]\s*)b\.\s*$/u;

/** "12/04/1990 is my birthday", "12/04/1990 (DOB)". */
const CUE_AFTER = /^\s*[(,:–-]?\s*(?:(?:is|was)\s+)?(?:(?:my|his|her|their|our|the)\s+)?(?:birth\s?day|birth\s?date|date\s+of\s+birth|d\.?o\.?b\b)/iu;

/**
 * Dates of birth: a date with a birth cue right before or after it. Every other date is kept,
 * because appointments and deadlines carry the meaning of a conversation and identify nobody.
 */
export function findDatesOfBirth(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const date of findDates(text)) {
    const before = text.slice(Math.max(0, date.start - LOOK_BEHIND_CHARS), date.start);
    const after = text.slice(date.end, date.end + LOOK_BEHIND_CHARS);
    if (CUE_BEFORE.test(before) || ABBREVIATED_BORN_BEFORE.test(before) || CUE_AFTER.test(after)) {
      spans.push({ type: 'DATE_OF_BIRTH', start: date.start, end: date.end });
    }
  }
  return spans;
}
