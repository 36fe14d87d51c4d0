/**
 * How the simulated user (`preference.ts`) reads a reply's words. Random-weight models glue
 * sub-word tokens of different scripts together ("provider发", "Laura함"), which a reader still
 * sees as two words, so a word is a run of letters of one script (digits join any run, an
 * apostrophe between two letters of a run joins them: "don't"), and anything else, or a change
 * of script, ends it. Scripts written without spaces (Han, kana, Thai) give one word per
 * character, and a listed word in them is matched as a substring. Two Latin sub-words glued
 * together ("aligngosétabreak") stay one word: nothing marks where they meet.
 */

const SCRIPTS: [string, RegExp][] = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Arabic',
  'Hebrew',
  'Devanagari',
  'Hangul',
  'Thai',
  'Han',
  'Hiragana',
  'Katakana',
].map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')]);

/** Scripts written without spaces between words. */
const UNSPACED = new Set(['Han', 'Hiragana', 'Katakana', 'Thai']);

/** 'digit', 'mark' (combining), a script's name (or 'other' letter), or null for a non-word character. */
function kind(ch: string): string | null {
  if (/\p{N}/u.test(ch)) return 'digit';
  if (/\p{M}/u.test(ch)) return 'mark';
  if (!/\p{L}/u.test(ch)) return null;
  for (const [name, re] of SCRIPTS) if (re.test(ch)) return name;
  return 'other';
}

/** A reply's words, lower-cased, in order. */
export function replyWords(text: string): string[] {
  const chars = [...text.toLowerCase()];
  const words: string[] = [];
  let current = '';
  let script: string | null = null;
  const flush = (): void => {
    if (current) words.push(current);
    current = '';
    script = null;
  };
  chars.forEach((ch, i) => {
    const k = kind(ch);
    if (k === null) {
      const next = kind(chars[i + 1] ?? '');
      if (ch === "'" && script !== null && (next === script || next === 'digit')) current += ch;
      else flush();
    } else if (k === 'digit' || k === 'mark') {
      current += ch;
    } else if (UNSPACED.has(k)) {
      flush();
      words.push(ch);
    } else if (script === null || script === k) {
      script = k;
      current += ch;
    } else {
      flush();
      script = k;
      current = ch;
    }
  });
  flush();
  return words;
}

/** Whitespace-separated words, as `maxWords` counts them. */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Whether a (lower-case) word is written in a script without spaces: matched as a substring. */
export function isUnspaced(word: string): boolean {
  return word.length > 0 && [...word].every((ch) => {
    const k = kind(ch);
    return k !== null && UNSPACED.has(k);
  });
}

/** Whether `word` is one word as `replyWords` reads them (or a run of an unspaced script). */
export function isOneWord(word: string): boolean {
  if (isUnspaced(word)) return true;
  const parts = replyWords(word);
  return parts.length === 1 && parts[0] === word;
}

/** The reply's words and lower-cased text, for matching several listed words against one reply. */
export function wordMatcher(reply: string): (word: string) => boolean {
  const words = new Set(replyWords(reply));
  const lower = reply.toLowerCase();
  return (word) => (isUnspaced(word) ? lower.includes(word) : words.has(word));
}
