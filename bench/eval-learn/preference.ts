/**
 * The simulated user's stated preference for `npm run eval:learn`, read from a JSON file:
 *
 *   {"dislikeWords": ["…"], "likeWords": ["…"], "maxWords": 40}
 *
 * every field optional; three more optional fields extend it: "minWords" (default 1, below),
 * "neutral" ("up" | "none", below) and "description" (free text, printed). Any other key is an
 * error, so a misspelt field cannot silently turn into an empty preference.
 *
 * Judging a reply:
 * - Words are matched whole and case-insensitively (`words.ts`): a word is a run of letters of
 *   one script, so "the" matches "The", "the," and "the发" but not "other" or "thereof". Whole
 *   words, not substrings, because that is what a person disliking a word means. The models'
 *   tokens are often sub-words, and random-weight models glue Latin sub-words into non-words
 *   ("itsthe"); such a glued word does not count, so for the adapter a disliked word is mostly
 *   its "▁word" token followed by a token that starts a new word, or one of another script.
 *   Words of scripts written without spaces (Han, kana, Thai) match as substrings.
 *   A listed word must itself be one such word (no spaces or punctuation): an error otherwise.
 * - Disliked: it contains a disliked word, or has more than `maxWords` whitespace-separated words,
 *   or fewer than `minWords` (1 by default: an empty reply is disliked; no user likes one, and
 *   an adapter that learns to end every reply at once must not score as having learned the
 *   preference).
 * - Liked: it contains a liked word and is not disliked.
 * - Neither ("neutral"): with no likeWords the user gives it a thumbs-up (they only object to what
 *   they said they dislike, and the app learns nothing from a user who never rates good replies);
 *   with likeWords the user does not rate it (they wait for a reply that has what they like).
 *   "neutral": "up" or "none" sets this explicitly. Unrated replies do not count towards K.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isOneWord, replyWords, wordCount, wordMatcher } from './words';

export interface Preference {
  /** The file's base name without .json, for reports. */
  name: string;
  description: string;
  /** Lower-cased. */
  dislikeWords: string[];
  /** Lower-cased. */
  likeWords: string[];
  /** Null: no length limit. */
  maxWords: number | null;
  /** Replies with fewer words are disliked (0: no lower limit). */
  minWords: number;
  /** What the user does with a reply that is neither liked nor disliked. */
  neutral: 'up' | 'none';
}

export type Judgement = 'liked' | 'disliked' | 'neutral';

const KEYS = ['dislikeWords', 'likeWords', 'maxWords', 'minWords', 'neutral', 'description'];

export { replyWords, wordCount };

function wordList(value: unknown, field: string, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: "${field}" must be an array of words, got ${JSON.stringify(value)}.`);
  return value.map((word, i) => {
    if (typeof word !== 'string') throw new Error(`${where}: "${field}"[${i}] must be a string, got ${JSON.stringify(word)}.`);
    const lower = word.trim().toLowerCase();
    if (!isOneWord(lower)) {
      throw new Error(`${where}: "${field}"[${i}] ${JSON.stringify(word)} is not one word (letters of one script and digits, an inner apostrophe allowed).`);
    }
    return lower;
  });
}

/** Checks and normalises a parsed preference; `where` names it in errors (the file's path). */
export function parsePreference(value: unknown, where = 'preference'): Preference {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: a preference must be a JSON object like {"dislikeWords": ["…"], "likeWords": ["…"], "maxWords": 40}.`);
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !KEYS.includes(key));
  if (unknown.length) throw new Error(`${where}: unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}; allowed: ${KEYS.join(', ')}.`);
  const dislikeWords = wordList(record.dislikeWords, 'dislikeWords', where);
  const likeWords = wordList(record.likeWords, 'likeWords', where);
  const both = likeWords.filter((word) => dislikeWords.includes(word));
  if (both.length) throw new Error(`${where}: ${both.map((w) => `"${w}"`).join(', ')} both liked and disliked.`);
  const { maxWords, minWords, neutral, description } = record;
  if (maxWords !== undefined && !(typeof maxWords === 'number' && Number.isInteger(maxWords) && maxWords >= 1)) {
    throw new Error(`${where}: "maxWords" must be a positive integer, got ${JSON.stringify(maxWords)}.`);
  }
  if (minWords !== undefined && !(typeof minWords === 'number' && Number.isInteger(minWords) && minWords >= 0)) {
    throw new Error(`${where}: "minWords" must be a non-negative integer, got ${JSON.stringify(minWords)}.`);
  }
  if (typeof maxWords === 'number' && typeof minWords === 'number' && minWords > maxWords) {
    throw new Error(`${where}: "minWords" (${minWords}) is more than "maxWords" (${maxWords}).`);
  }
  if (neutral !== undefined && neutral !== 'up' && neutral !== 'none') {
    throw new Error(`${where}: "neutral" must be "up" or "none", got ${JSON.stringify(neutral)}.`);
  }
  if (description !== undefined && typeof description !== 'string') throw new Error(`${where}: "description" must be a string.`);
  return {
    name: path.basename(where, '.json'),
    description: description ?? '',
    dislikeWords,
    likeWords,
    maxWords: maxWords ?? null,
    minWords: minWords ?? 1,
    neutral: neutral ?? (likeWords.length ? 'none' : 'up'),
  };
}

/** Reads and checks a preference file; every failure names the file. */
export function loadPreference(file: string): Preference {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read the preference file (${(error as Error).message}).`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message}).`);
  }
  return parsePreference(value, file);
}

export function judge(preference: Preference, reply: string): Judgement {
  const has = wordMatcher(reply);
  if (preference.dislikeWords.some(has)) return 'disliked';
  const count = wordCount(reply);
  if (preference.maxWords !== null && count > preference.maxWords) return 'disliked';
  if (count < preference.minWords) return 'disliked';
  if (preference.likeWords.some(has)) return 'liked';
  return 'neutral';
}

/** The simulated user's rating: true thumbs-up, false thumbs-down, null none. */
export function rate(preference: Preference, reply: string): boolean | null {
  const judgement = judge(preference, reply);
  if (judgement === 'disliked') return false;
  if (judgement === 'liked') return true;
  return preference.neutral === 'up' ? true : null;
}

/** One line for reports. */
export function describePreference(p: Preference): string {
  const parts = [
    p.dislikeWords.length ? `dislikes ${p.dislikeWords.join(', ')}` : '',
    p.maxWords !== null ? `more than ${p.maxWords} words disliked` : '',
    p.minWords > 0 ? `fewer than ${p.minWords} word${p.minWords === 1 ? '' : 's'} disliked` : '',
    p.likeWords.length ? `likes ${p.likeWords.join(', ')}` : '',
    `neither: ${p.neutral === 'up' ? 'thumbs-up' : 'no rating'}`,
  ].filter(Boolean);
  return `${p.name}: ${parts.join('; ')}${p.description ? ` (${p.description})` : ''}`;
}
