/**
 * The rule `npm run bench:deid` counts a labelled identifier as leaked by (bench/deid-eval/leak.ts).
 * A rule that is too lax would report recall the de-identifier does not have.
 */
import { describe, expect, it } from 'vitest';
import { leaks, partlyKept } from '../../../bench/deid-eval/leak';

describe('deid bench: leak check', () => {
  it('finds the identifier case-insensitively', () => {
    expect(leaks('Little Snoring', 'a village called little snoring')).toBe(true);
    expect(leaks('Little Snoring', 'a village called [PLACE_1]')).toBe(false);
  });

  it('finds a number whose separators were dropped, added or changed', () => {
    expect(leaks('07700 900987', 'her number is 07700900987')).toBe(true);
    expect(leaks('4012888888881881', 'card 4012 8888 8888 1881')).toBe(true);
    expect(leaks('078 05 1121', 'ring 078-05-1121')).toBe(true);
    expect(leaks('+44 7700 900123', 'uk one is 447700900123')).toBe(true);
  });

  it('matches whole words and numbers only', () => {
    expect(leaks('Tom', 'see you tomorrow')).toBe(false);
    expect(leaks('35', 'born in 1935')).toBe(false);
    expect(leaks('21', 'its my 21st')).toBe(true);
  });

  it('does not read the digits of a placeholder as a leak', () => {
    expect(leaks('7', 'my son turns [AGE_7] on [DATE_OF_BIRTH_7]')).toBe(false);
  });

  it('notices letters left beside a placeholder', () => {
    const text = 'Flat 3, 27 Mafeking Road';
    expect(partlyKept(text, text, [{ type: 'STREET_ADDRESS', start: 8, end: text.length }])).toBe(true);
    expect(partlyKept(text, text, [{ type: 'STREET_ADDRESS', start: 0, end: text.length }])).toBe(false);
  });
});
