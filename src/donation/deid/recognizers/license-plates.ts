import type { FoundEntity } from '../found-entity';
import { groupedValueAt } from './cue-values';
import { wordStarts } from './word-starts';

/**
 * Cues for a vehicle's registration in English and the main European languages. "plate" alone
 * is a dish, so it needs "my/the/her … plate"; "reg" is also short for regular expressions and
 * registry keys, so what follows must look like a plate.
 */
const PLATE_CUES = [
  String.raw`licen[cs]e\s+plate(?:\s+number)?`, String.raw`number\s?plate`, String.raw`plate\s+(?:number|no\.?)`,
  String.raw`(?:my|the|his|her|their|our|your|car['’]?s?|van['’]?s?)\s+plates?(?:\s+(?:number|no\.?))?`,
  String.raw`reg(?:istration)?(?:\s+(?:number|no\.?|plate|mark))?`, String.raw`vehicle\s+(?:registration|reg|number|no\.?)`, 'kennzeichen', 'nummernschild', 'autokennzeichen', String.raw`plaque(?:\s+d['’]immatriculation)?`,
  'immatriculation', 'matrícula', 'matricula', 'targa', 'kenteken', String.raw`tablica\s+rejestracyjna`,
  String.raw`numer\s+rejestracyjny`, 'rejestracja',
];
const CONNECTOR = String.raw`(?:\s*(?:(?:is|was|reads|says|ist|lautet|est|es|è|jest|to)(?![\p{L}])|[:=#-]))?\s*`;
const PLATE_CUE = new RegExp(String.raw`(?:${PLATE_CUES.join('|')})(?![\p{L}])${CONNECTOR}`, 'giu');

const MAX_PLATE_LENGTH = 10;

/**
 * Licence plates after a cue ("my plate is AB12 CDE", "Kennzeichen: M-AB 1234", "reg 7ABC123").
 * Plates have no format common to every country, so the cue is required, and the value must
 * have both letters and digits and at most ten of them, in groups of at most five after the
 * first (so "reg 2019" and "the plate is hot" are no plates).
 */
export function findLicensePlates(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const match of wordStarts(text, PLATE_CUE)) {
    const value = groupedValueAt(text, match.index + match[0].length, continuesPlate, 4);
    if (value === undefined) continue;
    const joined = value.groups.join('');
    const shaped = joined.length >= 2 && joined.length <= MAX_PLATE_LENGTH && /\p{L}/u.test(joined) && /\d/u.test(joined);
    if (shaped && isPlateGroup(value.groups[0] ?? '', 8)) spans.push({ type: 'LICENSE_PLATE', ...value.span });
  }
  return spans;
}

/** Later groups are short capitals or digits ("AB12 CDE", "M-AB 1234", "KR 7J402"), never a lower-case word. */
function continuesPlate(group: string): boolean {
  return isPlateGroup(group, 5);
}

function isPlateGroup(group: string, maxLength: number): boolean {
  return group.length <= maxLength && (/^[\p{Lu}\d]+$/u.test(group) || (/\d/u.test(group) && /^[\p{L}\d]+$/u.test(group)));
}
