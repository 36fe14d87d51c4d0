import type { FoundEntity } from '../found-entity';
import { regexSpans } from '../regex-spans';

/**
 * AAA-GG-SSSS with the SSA's rules: the area is never 000, 666 or 9xx, the group never 00 and
 * the serial never 0000. Dashes only: nine bare digits are too often something else.
 */
const US_SSN = /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?!-?\d)/g;

export function findUsSsns(text: string): FoundEntity[] {
  return regexSpans(text, US_SSN, 'US_SSN');
}
