import type { FoundEntity } from '../found-entity';
import { groupedValueAt } from './cue-values';
import { wordStarts } from './word-starts';
import { findNationalIdShapes } from './national-id-shapes';

/** Spelled-out cues, any case: "passport number", "Personalausweis", "Aadhaar", "NI number". */
const WORD_CUES = [
  'passport', 'reisepass', 'passeport', 'pasaporte', 'passaporto', 'passaporte', 'paszport', 'paspoort',
  String.raw`national\s+(?:id(?:entity)?|insurance|identification)(?:\s+card)?`, String.raw`id\s*card`, String.raw`identity\s+card`,
  String.raw`(?:personal)?ausweis`, String.raw`carte\s+d['’]identit[ée]`, String.raw`documento\s+de\s+identidad`,
  String.raw`carta\s+d['’]identit[àa]`, String.raw`dowód(?:\s+osobisty)?`, String.raw`identiteitskaart`,
  String.raw`aadhaa?r(?:\s+card)?`, 'burgerservicenummer', String.raw`social\s+insurance`,
  String.raw`tax\s+(?:id|identification|number)`, String.raw`steuer-?id`, 'steuernummer', String.raw`steuer-?identifikationsnummer`,
  String.raw`codice\s+fiscale`, 'personnummer', 'henkilötunnus', String.raw`driv(?:er['’]?s|ing)\s+licen[cs]e`, 'führerschein',
  String.raw`(?:num[ée]ro\s+de\s+)?s[ée]curit[ée]\s+sociale`, String.raw`n°\s+de\s+s[ée]cu`, String.raw`social\s+security`,
  String.raw`seguridad\s+social`, String.raw`tessera\s+sanitaria`, String.raw`sozialversicherungsnummer`, 'rentenversicherungsnummer',
];

/** Acronyms, in capitals or after "my"/"his"/…: "pan", "sin", "tin" and "nie" are words. */
const ACRONYM_CUES = ['NI', 'NINO', 'DNI', 'NIE', 'NIF', 'BSN', 'PESEL', 'PAN', 'SIN', 'TIN', 'UID', 'CPR', 'NHS', 'NIR', 'CNP', 'EGN', 'OIB', 'AHV', 'SVNR'];

/** "number", "no.", "#" and their translations, then "is" or ":". */
const NUMBER_WORD = String.raw`(?:\s*(?:(?:numbers?|no|nr|num|id|nummer|numéro|número|numero|numer|n°)(?![\p{L}])\.?|#))?`;
/** "is", ":" and their translations; Polish "PESEL to …" uses "to". */
const CONNECTOR = String.raw`(?:\s*(?:(?:is|was|ist|est|es|jest|to|è)(?![\p{L}])|[:=#-]))?\s*`;

const WORD_CUE = new RegExp(String.raw`(?:${WORD_CUES.join('|')})(?:['’]s)?${NUMBER_WORD}${CONNECTOR}`, 'giu');
/** Case-insensitive like the rest; the acronym's capitals, or its owner, are checked in code. */
const ACRONYM_CUE = new RegExp(
  String.raw`(?<owner>(?:my|his|her|your|their|our)\s+)?(?<acronym>${ACRONYM_CUES.join('|')})(?![\p{L}\p{N}])(?:['’]s)?${NUMBER_WORD}${CONNECTOR}`,
  'giu',
);

/** Fewer digits than this is no identity number ("passport 2", "NI 12"). */
const MIN_DIGITS = 4;
const MIN_LENGTH = 6;
const MAX_LENGTH = 20;
/** The French NIR is written in seven groups ("1 84 12 76 451 089 46"). */
const MAX_GROUPS = 8;

/**
 * National identity numbers: after a cue ("passport no. X1234567", "Aadhaar: 2345 6789 0124",
 * "NI number QQ 12 34 56 C"), any letters and digits that look like a number of that kind;
 * plus the formats that are distinctive alone (UK NI numbers, Aadhaar with its checksum,
 * Spanish DNI/NIE, Italian codice fiscale, Indian PAN).
 */
export function findNationalIds(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [...findNationalIdShapes(text)];
  for (const cue of [WORD_CUE, ACRONYM_CUE]) {
    for (const match of wordStarts(text, cue)) {
      const acronym = match.groups?.acronym;
      if (acronym !== undefined && acronym !== acronym.toUpperCase() && match.groups?.owner === undefined) continue;
      const value = groupedValueAt(text, match.index + match[0].length, continuesId, MAX_GROUPS);
      if (value !== undefined && looksLikeId(value.groups)) spans.push({ type: 'NATIONAL_ID', ...value.span });
    }
  }
  return spans;
}

/** A group after the first belongs to the number when it has a digit or is one or two capitals ("… 56 C"). */
function continuesId(group: string): boolean {
  return /\d/u.test(group) || /^\p{Lu}{1,2}$/u.test(group);
}

/** It starts with a digit or a short capital prefix ("X1234567", "QQ 12 …"), not a word ("expires 2030"). */
function looksLikeId(groups: readonly string[]): boolean {
  const [first = ''] = groups;
  if (!/\d/u.test(first) && !/^\p{Lu}{1,3}$/u.test(first)) return false;
  const joined = groups.join('');
  if (joined.length < MIN_LENGTH || joined.length > MAX_LENGTH) return false;
  const digits = joined.replace(/\D/gu, '').length;
  return digits >= MIN_DIGITS;
}
