import isURL from 'validator/lib/isURL';
import type { FoundEntity } from '../found-entity';
import { trimTrailingPunctuation } from '../regex-spans';

/**
 * Links written with a scheme or starting with `www.`. Bare domains ("example.com") are kept:
 * too many file names and code identifiers look the same. Not preceded by `@` or a word
 * character, so the domain of an e-mail address is not a link.
 */
const URL_CANDIDATE = /(?<![\w@.\-/])(?:https?:\/\/|www\.)[^\s<>"'`]+/giu;

export function findUrls(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const candidate = trimTrailingPunctuation(match[0]);
    if (isURL(candidate, { require_tld: true, allow_underscores: true })) {
      spans.push({ type: 'URL', start: match.index, end: match.index + candidate.length });
    }
  }
  return spans;
}
