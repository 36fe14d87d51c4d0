import type { FoundEntity } from '../found-entity';
import { regexSpans } from '../regex-spans';

/**
 * National identity numbers whose format is distinctive enough to find without a cue. Capitals
 * only, as they are printed; where the number carries a check character it must hold, because
 * without a cue the checksum is what tells the number from a code.
 */

/** UK National Insurance number: two letters, three pairs of digits, A–D ("QQ 12 34 56 C", the specimen). */
const UK_NINO = /(?<![\p{L}\p{N}])[A-Z]{2}(?: ?\d{2}){3} ?[A-D](?![\p{L}\p{N}])/gu;

/** Aadhaar: twelve digits in groups of four, never starting with 0 or 1, with a Verhoeff check digit. */
const AADHAAR = /(?<![\p{L}\p{N}+]|\d[ -])[2-9]\d{3}([ -]?)\d{4}\1\d{4}(?![\p{L}\p{N}]|[ -]\d)/gu;

/** Spanish DNI ("12345678Z") and NIE ("X1234567L"), whose letter is the number mod 23. */
const DNI_OR_NIE = /(?<![\p{L}\p{N}])(?:\d{8}|[XYZ]\d{7})-?[A-Z](?![\p{L}\p{N}])/gu;

/** Italian codice fiscale: surname, name, birth date and place, check letter ("RSSMRA85T10A562S"). */
const CODICE_FISCALE = /(?<![\p{L}\p{N}])[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z](?![\p{L}\p{N}])/gu;

/** Indian PAN: five letters, four digits, a letter ("ABCDE1234F", the example every form prints). */
const INDIAN_PAN = /(?<![\p{L}\p{N}])[A-Z]{5}\d{4}[A-Z](?![\p{L}\p{N}])/gu;

/**
 * French social security number (NIR): sex, year, month, département, commune, order number and
 * a two-digit key that is 97 minus the number mod 97 ("1 84 12 76 451 089 46"). Corsica's 2A/2B
 * count as 19/18 for the key.
 */
const FRENCH_NIR = /(?<![\p{L}\p{N}])[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\p{L}\p{N}]|[ -]?\d)/gu;

export function findNationalIdShapes(text: string): FoundEntity[] {
  return [
    ...regexSpans(text, UK_NINO, 'NATIONAL_ID'),
    ...regexSpans(text, AADHAAR, 'NATIONAL_ID', (candidate) => verhoeffValid(candidate.replace(/\D/gu, ''))),
    ...regexSpans(text, DNI_OR_NIE, 'NATIONAL_ID', dniLetterHolds),
    ...regexSpans(text, CODICE_FISCALE, 'NATIONAL_ID'),
    ...regexSpans(text, INDIAN_PAN, 'NATIONAL_ID'),
    ...regexSpans(text, FRENCH_NIR, 'NATIONAL_ID', nirKeyHolds),
  ];
}

function nirKeyHolds(candidate: string): boolean {
  const compact = candidate.replace(/ /gu, '');
  const body = compact.slice(0, 13).replace('2A', '19').replace('2B', '18');
  return 97 - Number(BigInt(body) % 97n) === Number(compact.slice(13));
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

function dniLetterHolds(candidate: string): boolean {
  const compact = candidate.replace('-', '');
  const digits = compact.slice(0, -1).replace(/^[XYZ]/u, (letter) => String('XYZ'.indexOf(letter)));
  return DNI_LETTERS[Number(digits) % 23] === compact.at(-1);
}

// The Verhoeff scheme: multiplication in the dihedral group D5, a permutation per position.
const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

export function verhoeffValid(digits: string): boolean {
  let check = 0;
  for (let i = 0; i < digits.length; i += 1) {
    const digit = Number(digits[digits.length - 1 - i]);
    check = VERHOEFF_D[check]![VERHOEFF_P[i % 8]![digit]!]!;
  }
  return check === 0;
}
