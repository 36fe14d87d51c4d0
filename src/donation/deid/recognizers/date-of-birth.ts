import type { FoundEntity } from '../found-entity';
import { findDates } from './dates';

/** How far before a date a birth cue may stand ("born on the", "DOB:", "birthday is"). */
const LOOK_BEHIND_CHARS = 48;

/**
 * Birth cues in English and the main European languages: "born", "DOB", "date of birth",
 * "birthday", "bday"; Geburtsdatum, geboren (am), geb.; né(e) le, date de naissance; nacido/a
 * el, nací, fecha de nacimiento; nato/a il, data di nascita; nascido/a em, data de nascimento;
 * geboren op, geboortedatum; data urodzenia, urodzony/a, urodził(a) się. Words that are also
 * other words elsewhere ("nato", "né") need the article that follows them.
 */
const BIRTH_WORDS = [
  String.raw`born`, String.raw`d\.?o\.?b\b\.?`, String.raw`date\s+of\s+birth`, String.raw`birth\s?date`, String.raw`birth\s?day`, String.raw`b-?day`,
  String.raw`geburtsdatum`, String.raw`geburtstag`, String.raw`geboren`, String.raw`geb\.`,
  String.raw`n[ée]e?\s+le`, String.raw`date\s+de\s+naissance`, String.raw`anniversaire`,
  String.raw`nacid[oa]`, String.raw`nac[ií]`, String.raw`naci[óo]`, String.raw`fecha\s+de\s+nacimiento`, String.raw`cumpleaños`,
  String.raw`nat[oa]\s+(?:il|l['’]|a|nel)`, String.raw`data\s+di\s+nascita`, String.raw`compleanno`,
  String.raw`nascid[oa]`, String.raw`data\s+de\s+nascimento`, String.raw`aniversário`,
  String.raw`geboortedatum`, String.raw`verjaardag`,
  String.raw`data\s+urodzenia`, String.raw`urodzon[ya]`, String.raw`urodził(?:a|em|am)?\s+się`, String.raw`urodziny`,
];

/**
 * Turning an age is a birthday too: "I turn 35 on", "i turned 41 yesterday (19 jan)", "shes 92
 * on sunday 6th", "(6 on tuesday 4th march)", "its my 21st on", "je fête mes 30 ans le",
 * "cumplo 35 años (12 de agosto)", "compio 35 anni il", "ik word 45 op", "ich werde am".
 */
const TURNING_CUES = [
  String.raw`turn(?:s|ed|ing)?\s+\d{1,3}`,
  String.raw`(?:\(|(?:is|be|i['’]?m|am|she['’]?s|he['’]?s|they['’]?re)\s+)\d{1,3}\s+on`,
  String.raw`my\s+\d{1,3}(?:st|nd|rd|th)`,
  String.raw`(?:fête|fêter|fêtera|aurai|aura)\s+(?:(?:mes|ses|nos)\s+)?\d{1,3}\s+ans`,
  String.raw`cumpl[oeí]\s+\d{1,3}`, String.raw`compi[oe]\s+\d{1,3}`, String.raw`(?:ik\s+word|wordt)\s+\d{1,3}`,
  String.raw`(?:werde|wird)\s+am`, String.raw`kończ[ęy]\s+\d{1,3}`,
];
const BIRTH_CUES = [...BIRTH_WORDS, ...TURNING_CUES];

/**
 * A cue, then at most 25 characters without a sentence end (a full stop followed by a space
 * ends a sentence; the dots of "D.O.B." or "approx." do not).
 */
const CUE_BEFORE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${BIRTH_CUES.join('|')})(?![\p{L}])(?:[^.!?\n]|\.(?=\S)){0,25}$`,
  'iu',
);

/**
 * Whether the text holds any cue at all: most messages hold none, and then their dates need not
 * be searched. Every cue of CUE_BEFORE and CUE_AFTER contains one of these, and "b." stands for
 * ABBREVIATED_BORN_BEFORE.
 */
const ANY_CUE = new RegExp(String.raw`${BIRTH_CUES.join('|')}|b\.`, 'iu');

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
  if (!ANY_CUE.test(text)) return spans;
  for (const date of findDates(text)) {
    const before = text.slice(Math.max(0, date.start - LOOK_BEHIND_CHARS), date.start);
    const after = text.slice(date.end, date.end + LOOK_BEHIND_CHARS);
    if (CUE_BEFORE.test(before) || ABBREVIATED_BORN_BEFORE.test(before) || CUE_AFTER.test(after)) {
      spans.push({ type: 'DATE_OF_BIRTH', start: date.start, end: date.end });
    }
  }
  return spans;
}
