import { describe, expect, it } from 'vitest';
import type { FoundEntity } from '../../../src/donation/deid';
import { findAges } from '../../../src/donation/deid/recognizers/ages';
import { findCreditCards } from '../../../src/donation/deid/recognizers/credit-card';
import { findDatesOfBirth } from '../../../src/donation/deid/recognizers/date-of-birth';
import { findDates } from '../../../src/donation/deid/recognizers/dates';
import { findIbans } from '../../../src/donation/deid/recognizers/iban';
import { findIpAddresses } from '../../../src/donation/deid/recognizers/ip-address';
import { findLicensePlates } from '../../../src/donation/deid/recognizers/license-plates';
import { findNationalIds } from '../../../src/donation/deid/recognizers/national-ids';
import { findPhones } from '../../../src/donation/deid/recognizers/phone';
import { findPostalCodes } from '../../../src/donation/deid/recognizers/postal-codes';
import { findSecrets } from '../../../src/donation/deid/recognizers/secrets';
import { findUsSsns } from '../../../src/donation/deid/recognizers/us-ssn';
import { findUserHandles } from '../../../src/donation/deid/recognizers/user-handles';

/**
 * Inputs built to make a regex backtrack: long runs of what a pattern repeats, cues without a
 * value, a key block without its end. A pattern that backtracks catastrophically takes seconds
 * or forever on 20 KB of these; the linear ones take milliseconds. The bound is loose, for slow
 * and busy machines: it catches blow-ups, it does not measure speed (npm run bench:deid does).
 */
const SIZE = 20_000;
const fill = (unit: string, tail = '') => unit.repeat(Math.ceil(SIZE / unit.length)) + tail;
const INPUTS: Record<string, string> = {
  'spaced digits': fill('1 '),
  'a trunk 0 and groups': `0${fill('12 ')}`,
  'dotted digits': fill('1.'),
  'one long word': fill('a'),
  'a long mixed token': fill('aB3_'),
  'at signs': fill('@a.'),
  'password cues without values': fill('password is '),
  'a key block without its end': `-----BEGIN RSA PRIVATE KEY-----${fill(' AAAA')}`,
  'discriminators': fill('ab#1234 '),
  'whitespace after a cue': `zip${' '.repeat(SIZE)}12345`,
  'words before numbers': fill('chapter 12 '),
  'turning cues': fill('turn 35 '),
  'plate cues': fill('reg AB12 '),
  'capitals and digits': fill('AB12 CD '),
  'dashed digits': fill('12-'),
  'IBAN starts': fill('DE89 '),
  'month and day': fill('May 5 '),
  'an open quote after a cue': `password: "${fill('x')}`,
};
const RECOGNIZERS: Record<string, (text: string) => FoundEntity[] | unknown[]> = {
  findSecrets, findNationalIds, findPostalCodes, findUserHandles, findLicensePlates, findAges, findDatesOfBirth,
  findDates, findPhones, findCreditCards, findIbans, findUsSsns, findIpAddresses,
};
const BOUND_MS = 1500;

describe('pathological inputs', () => {
  it.each(Object.entries(INPUTS))('every recognizer gets through %s in linear time', (_name, text) => {
    for (const [name, recognize] of Object.entries(RECOGNIZERS)) {
      const start = performance.now();
      recognize(text);
      expect({ name, fast: performance.now() - start < BOUND_MS }).toEqual({ name, fast: true });
    }
  });
});
