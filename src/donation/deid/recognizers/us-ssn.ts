import type { FoundEntity } from '../found-entity';
import { regexSpans } from '../regex-spans';

/**
 * AAA-GG-SSSS with one separator throughout: dashes, spaces or dots ("078 05 1121"). Every
 * number of this shape is taken, also the ones the SSA never issues (000, 666, 9xx areas are
 * ITINs and test numbers people copy from real forms): the shape, not the issuing rules,
 * decides. Not part of a longer run of digit groups (a phone number, a card).
 */
const US_SSN = /(?<!\d[- .]?)\d{3}([- .])\d{2}\1\d{4}(?![- .]?\d)/g;

/** Nine bare digits only after a cue: "SSN 123456789", "social security number: 123456789". */
const AFTER_CUE = /(?<![\p{L}\p{N}])(?:ssn|ss#|social\s+security(?:\s+(?:number|no\.?|#))?|social\s+sec\.?\s+(?:number|no\.?|#))\s*(?:is\b|:|#)?\s*(?<number>\d{9})(?![\p{L}\p{N}])/dgiu;

export function findUsSsns(text: string): FoundEntity[] {
  const spans = regexSpans(text, US_SSN, 'US_SSN');
  for (const match of text.matchAll(AFTER_CUE)) {
    const [start, end] = match.indices?.groups?.number ?? [0, 0];
    if (end > start) spans.push({ type: 'US_SSN', start, end });
  }
  return spans;
}
