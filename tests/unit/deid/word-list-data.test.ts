import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENGLISH_WORDS_FILE, englishWordsModule, PLACE_NAMES_FILE, placeNamesModule } from '../../../scripts/deid-word-lists/modules';
import { encodeFrontCoded } from '../../../scripts/deid-word-lists/front-coding';
import { isEnglishWord } from '../../../src/donation/deid/english-words';
import { decodeFrontCoded } from '../../../src/donation/deid/front-coding';

describe('generated word lists', () => {
  it('front-codes and decodes back to the same sorted list', () => {
    const words = ['aachen', 'aalen', 'aalst', 'abu dhabi', 'z'];
    expect(encodeFrontCoded(words)).toBe('0aachen\n2len\n3st\n1bu dhabi\n0z');
    expect(decodeFrontCoded(encodeFrontCoded(words))).toEqual(words);
  });

  it.each([
    [PLACE_NAMES_FILE, placeNamesModule],
    [ENGLISH_WORDS_FILE, englishWordsModule],
  ])('%s is what scripts/build-deid-word-lists.ts makes from the pinned package', (file, build) => {
    expect(readFileSync(file, 'utf8')).toBe(build().text);
  });

  it('knows everyday English words and their simple inflections, not names', () => {
    expect(['kitchen', 'University', 'parties', 'walked', 'cleaning'].every(isEnglishWord)).toBe(true);
    expect(['leilani', 'adeyemi', 'baz'].some(isEnglishWord)).toBe(false);
  });
});
