/**
 * Helpers for recognizers that find a value after a cue ("password is …", "passport no. …",
 * "my plate is …"): the cue says what the value is, these read how far it goes.
 */

export interface ValueSpan {
  start: number;
  end: number;
}

/** One group of letters and digits, read at a given position (sticky). */
const GROUP = /[\p{L}\p{N}]+/uy;
const GROUP_SEPARATORS = new Set([' ', '-', '.', '/']);

/**
 * Groups of letters and digits joined by single separators ("QQ 12 34 56 C", "M-AB 1234"),
 * starting at `start`. The first group is always taken; each further group only when
 * `takesNext` accepts it, so a value stops before the words that follow it.
 */
export function groupedValueAt(
  text: string,
  start: number,
  takesNext: (group: string, taken: readonly string[]) => boolean,
  maxGroups = 6,
): { span: ValueSpan; groups: string[] } | undefined {
  const first = groupAt(text, start);
  if (first === undefined) return undefined;
  const groups = [first];
  let end = start + first.length;
  while (groups.length < maxGroups && GROUP_SEPARATORS.has(text[end] ?? '')) {
    const next = groupAt(text, end + 1);
    if (next === undefined || !takesNext(next, groups)) break;
    groups.push(next);
    end += 1 + next.length;
  }
  return { span: { start, end }, groups };
}

function groupAt(text: string, at: number): string | undefined {
  GROUP.lastIndex = at;
  return GROUP.exec(text)?.[0];
}

/** Quote pairs a value may be written in: `"hunter2"`, `“hunter2”`, `'hunter2'`, `` `hunter2` ``. */
const CLOSING_QUOTE: Readonly<Record<string, string>> = { '"': '"', "'": "'", '`': '`', '“': '”', '‘': '’', '„': '“', '«': '»' };
/** Longer than any password or key a person types; a quote left open does not swallow the message. */
const MAX_QUOTED_LENGTH = 200;
const UNQUOTED_TOKEN = /[^\s]{1,256}/uy;
/** Sentence punctuation after a value, not part of it. */
const TRAILING = /[.,;:!?)\]}>'"’”»]+$/u;

/**
 * The value written at `start`: what stands between quotes when it opens with one (a passphrase
 * may hold spaces), else the run of non-space characters without the punctuation that ends the
 * sentence. Undefined when nothing is there.
 */
export function tokenValueAt(text: string, start: number): ValueSpan | undefined {
  const close = CLOSING_QUOTE[text[start] ?? ''];
  if (close !== undefined) {
    const end = text.indexOf(close, start + 1);
    if (end > start + 1 && end - start <= MAX_QUOTED_LENGTH && !text.slice(start + 1, end).includes('\n')) {
      return { start: start + 1, end };
    }
  }
  UNQUOTED_TOKEN.lastIndex = start;
  const token = UNQUOTED_TOKEN.exec(text)?.[0];
  if (token === undefined) return undefined;
  const trimmed = token.replace(TRAILING, '');
  return trimmed.length > 0 ? { start, end: start + trimmed.length } : undefined;
}

/**
 * Words that follow "password is", "my username is" without being the value: "my password is
 * wrong", "the PIN is too short", "password: string" in a type. Compared in lower case.
 */
export const NOT_A_VALUE = new Set([
  'a', 'an', 'the', 'my', 'your', 'his', 'her', 'our', 'their', 'its', 'this', 'that', 'these', 'those', 'it',
  'is', 'was', 'be', 'been', 'being', 'are', 'am', 'has', 'have', 'had', 'will', 'would', 'should', 'can', 'could',
  'not', 'no', 'yes', 'ok', 'okay', 'too', 'very', 'so', 'quite', 'pretty', 'really', 'just', 'only', 'also', 'still',
  'now', 'then', 'here', 'there', 'below', 'above', 'attached', 'in', 'on', 'at', 'for', 'of', 'to', 'from', 'with',
  'by', 'and', 'or', 'but', 'if', 'because', 'as', 'like', 'what', 'which', 'who', 'how', 'why', 'where', 'when',
  'something', 'anything', 'nothing', 'everything', 'same', 'different', 'wrong', 'incorrect', 'correct', 'right',
  'invalid', 'valid', 'expired', 'empty', 'blank', 'missing', 'required', 'optional', 'mandatory', 'needed',
  'necessary', 'reset', 'changed', 'saved', 'stored', 'hidden', 'set', 'weak', 'strong', 'secure', 'insecure', 'safe',
  'unsafe', 'long', 'short', 'easy', 'hard', 'simple', 'complicated', 'complex', 'forgotten', 'lost', 'locked',
  'blocked', 'protected', 'encrypted', 'hashed', 'unique', 'random', 'generated', 'good', 'bad', 'fine', 'great',
  'mine', 'yours', 'new', 'old', 'literally', 'probably', 'definitely', 'case-sensitive', 'sensitive', 'written',
  'printed', 'shown', 'displayed', 'visible', 'known', 'unknown', 'taken', 'available', 'none', 'null', 'undefined',
  'true', 'false', 'string', 'number', 'boolean', 'str', 'int', 'any', 'char', 'text', 'password', 'pin', 'secret',
  'token', 'key', 'username', 'handle', 'name', 'typed', 'entered', 'sent', 'shared', 'leaked', 'compromised',
  'private', 'public', 'deactivated', 'deleted', 'banned', 'suspended', 'gone', 'closed', 'open', 'inactive', 'active',
]);

/** True for a value that is a word from NOT_A_VALUE or nothing but masking characters ("****"). */
export function isPlaceholderWord(value: string): boolean {
  return NOT_A_VALUE.has(value.toLowerCase()) || /^[*•x.\-_]+$/iu.test(value);
}
