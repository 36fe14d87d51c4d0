/**
 * The simulated user of `npm run eval:learn` (bench/eval-learn/preference.ts): the preference
 * file's format, its optional fields, clear errors for malformed files, and how replies are judged
 * and rated. Pure logic.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judge, loadPreference, parsePreference, rate, replyWords, wordCount } from '../../../bench/eval-learn/preference';

const dir = mkdtempSync(path.join(os.tmpdir(), 'preference-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('preference files', () => {
  it('reads the documented format, lower-casing the words', () => {
    const p = loadPreference(file('mixed.json', '{"dislikeWords": ["Rain", "cold"], "likeWords": ["sun"], "maxWords": 40}'));
    expect(p).toMatchObject({ name: 'mixed', dislikeWords: ['rain', 'cold'], likeWords: ['sun'], maxWords: 40, minWords: 1, neutral: 'none' });
  });

  it('makes every field optional', () => {
    expect(parsePreference({})).toMatchObject({ dislikeWords: [], likeWords: [], maxWords: null, minWords: 1, neutral: 'up' });
    expect(parsePreference({ maxWords: 10 })).toMatchObject({ maxWords: 10, neutral: 'up' });
    expect(parsePreference({ likeWords: ['sun'] }).neutral).toBe('none');
  });

  it('takes the extensions: minWords, neutral, description', () => {
    const p = parsePreference({ likeWords: ['sun'], neutral: 'up', minWords: 0, description: 'test' });
    expect(p).toMatchObject({ neutral: 'up', minWords: 0, description: 'test' });
  });

  it('rejects malformed files with an error naming the file and the problem', () => {
    const cases: [string, string, RegExp][] = [
      ['broken.json', '{"dislikeWords": [', /broken\.json: not valid JSON/],
      ['array.json', '["rain"]', /array\.json: a preference must be a JSON object/],
      ['typo.json', '{"dislikewords": ["rain"]}', /typo\.json: unknown field\(s\) "dislikewords"/],
      ['string.json', '{"dislikeWords": "rain"}', /"dislikeWords" must be an array/],
      ['number.json', '{"likeWords": [3]}', /"likeWords"\[0\] must be a string/],
      ['phrase.json', '{"dislikeWords": ["rainy day"]}', /"rainy day" is not one word/],
      ['scripts.json', '{"dislikeWords": ["rain发"]}', /"rain发" is not one word/],
      ['empty-word.json', '{"dislikeWords": [""]}', /is not one word/],
      ['max.json', '{"maxWords": 0}', /"maxWords" must be a positive integer/],
      ['fraction.json', '{"maxWords": 2.5}', /"maxWords" must be a positive integer/],
      ['min.json', '{"minWords": -1}', /"minWords" must be a non-negative integer/],
      ['minmax.json', '{"minWords": 5, "maxWords": 3}', /"minWords" \(5\) is more than "maxWords" \(3\)/],
      ['both.json', '{"dislikeWords": ["sun"], "likeWords": ["Sun"]}', /"sun" both liked and disliked/],
      ['neutral.json', '{"neutral": "down"}', /"neutral" must be "up" or "none"/],
    ];
    for (const [name, text, error] of cases) {
      const p = file(name, text);
      expect(() => loadPreference(p), name).toThrow(error);
      expect(() => loadPreference(p), name).toThrow(p);
    }
    expect(() => loadPreference(path.join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read the preference file/);
  });
});

describe('judging a reply', () => {
  const p = parsePreference({ dislikeWords: ['rain'], likeWords: ['sun'], maxWords: 6 });

  it('splits words at anything but letters and digits, keeping inner apostrophes', () => {
    expect(replyWords("Rain, rain! Don't go—über 42x 'quoted'")).toEqual(['rain', 'rain', "don't", 'go', 'über', '42x', 'quoted']);
    expect(wordCount('  one two\tthree\nfour ')).toBe(4);
  });

  it('splits where the script changes, as a reader would; unspaced scripts give a word per character', () => {
    expect(replyWords('provider发展 Laura함 ciudadовать')).toEqual(['provider', '发', '展', 'laura', '함', 'ciudad', 'овать']);
    expect(judge(p, 'rain发')).toBe('disliked');
    const han = parsePreference({ dislikeWords: ['发展'] });
    expect(judge(han, 'we will发展it')).toBe('disliked');
    expect(judge(han, '发 展')).toBe('neutral');
  });

  it('matches disliked words whole and in any case, never inside another word', () => {
    expect(judge(p, 'The RAIN fell.')).toBe('disliked');
    expect(judge(p, 'rain,')).toBe('disliked');
    expect(judge(p, 'Brainstorm the rainbow.')).toBe('neutral');
  });

  it('dislikes a reply longer than maxWords (whitespace-separated) or empty', () => {
    expect(judge(p, 'one two three four five six')).toBe('neutral');
    expect(judge(p, 'one two three four five six seven')).toBe('disliked');
    expect(judge(p, 'sun one two three four five six')).toBe('disliked');
    expect(judge(p, '')).toBe('disliked');
    expect(judge(p, '   ')).toBe('disliked');
    expect(judge(parsePreference({ minWords: 0 }), '')).toBe('neutral');
  });

  it('likes a reply with a liked word unless it is disliked', () => {
    expect(judge(p, 'The sun is out.')).toBe('liked');
    expect(judge(p, 'Sun and rain.')).toBe('disliked');
  });

  it('rates: down when disliked, up when liked, and neither by the neutral rule', () => {
    expect(rate(p, 'rain again')).toBe(false);
    expect(rate(p, 'sun again')).toBe(true);
    expect(rate(p, 'clouds again')).toBeNull();
    const noLikes = parsePreference({ dislikeWords: ['rain'] });
    expect(rate(noLikes, 'clouds again')).toBe(true);
    expect(rate({ ...noLikes, neutral: 'none' }, 'clouds again')).toBeNull();
  });
});

describe('the shipped example preferences', () => {
  it('all parse', () => {
    const shipped = path.resolve('bench/preferences');
    const files = readdirSync(shipped).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(() => loadPreference(path.join(shipped, f)), f).not.toThrow();
  });
});
