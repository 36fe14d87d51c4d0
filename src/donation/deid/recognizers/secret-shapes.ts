import type { FoundEntity } from '../found-entity';
import { regexSpans } from '../regex-spans';

/**
 * Keys and tokens recognizable by their shape alone: the prefixes services put on their
 * credentials so that scanners can find them, JWTs, private-key blocks, and long random-looking
 * strings. Case-sensitive: the prefixes are written exactly so.
 */
const KNOWN_PREFIXES = new RegExp(
  String.raw`(?<![A-Za-z0-9_-])(?:` +
    [
      String.raw`sk-[A-Za-z0-9_-]{20,}`, // OpenAI, Anthropic ("sk-proj-…", "sk-ant-…")
      String.raw`[spr]k_(?:live|test)_[A-Za-z0-9]{10,}`, // Stripe
      String.raw`gh[pousr]_[A-Za-z0-9]{30,}`, // GitHub tokens
      String.raw`github_pat_[A-Za-z0-9_]{22,}`,
      String.raw`glpat-[A-Za-z0-9_-]{20,}`, // GitLab
      String.raw`xox[abposr]-[A-Za-z0-9-]{10,}`, // Slack
      String.raw`(?:AKIA|ASIA)[0-9A-Z]{16}`, // AWS access key ids
      String.raw`AIza[0-9A-Za-z_-]{30,}`, // Google API keys
      String.raw`ya29\.[0-9A-Za-z_-]{20,}`, // Google OAuth access tokens
      String.raw`hf_[A-Za-z0-9]{30,}`, // Hugging Face
      String.raw`npm_[A-Za-z0-9]{36}`,
      String.raw`SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}`, // SendGrid
      // A JWT: base64url of '{"' starts both the header and the payload with "eyJ".
      String.raw`eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*)?`,
    ].join('|') +
    String.raw`)(?![A-Za-z0-9_-])`,
  'g',
);

/**
 * A PEM private key: the BEGIN line, header lines ("Proc-Type: …"), the full 64-character
 * base64 lines, and the short last line with the END line when there is one. Lines are
 * separated by whitespace, so no run can be split two ways; the words after a key without an
 * END line are not taken for its last line.
 */
const PRIVATE_KEY_BLOCK = new RegExp(
  String.raw`-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----(?:\n[A-Za-z-]{1,30}: [^\n]{0,200})*` +
    String.raw`(?:\s+[A-Za-z0-9+/=]{40,})*(?:(?:\s+[A-Za-z0-9+/=]{1,39})?\s+-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----)?`,
  'g',
);

/**
 * Runs of the characters keys are written in (base64, base64url, hex, dashes); "=" only as
 * base64 padding at the end, so "DB_PASSWORD=s3cr3t" is a name and a value, not one token.
 */
const TOKEN_RUN = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/=_-])/g;
const MIN_RANDOM_LENGTH = 20;

export function findSecretShapes(text: string): FoundEntity[] {
  return [
    ...regexSpans(text, KNOWN_PREFIXES, 'SECRET'),
    ...regexSpans(text, PRIVATE_KEY_BLOCK, 'SECRET'),
    ...regexSpans(text, TOKEN_RUN, 'SECRET', looksRandom),
  ];
}

/** Letters of one case in a row, or a capital and lower case: the pieces identifiers are made of. */
const WORDISH_PIECE = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g;
const WORD_LENGTH = 4;

/**
 * Whether a 20+ character run looks generated rather than written: it mixes letters and digits,
 * letters are at least a quarter of it (a camera's "IMG_20240115_123456" is mostly a date), and
 * less than half of its letters stand in word-length pieces ("getElementById2023" and
 * "my_variable_name_v2" are made of words; "9fQ2xLr7Tb0Zk" and hex digests are not). A random
 * base62 string has a four-letter run at a given place about 3 % of the time.
 */
export function looksRandom(candidate: string): boolean {
  const token = candidate.replace(/=+$/u, '');
  if (token.length < MIN_RANDOM_LENGTH) return false;
  let letters = 0;
  let digits = 0;
  for (const c of token) {
    if (/[A-Za-z]/.test(c)) letters += 1;
    else if (c >= '0' && c <= '9') digits += 1;
  }
  if (digits === 0 || letters * 4 < token.length) return false;
  let inWords = 0;
  for (const piece of token.matchAll(WORDISH_PIECE)) {
    if (piece[0].length >= WORD_LENGTH) inWords += piece[0].length;
  }
  return inWords * 2 < letters;
}
