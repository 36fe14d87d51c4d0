import { markdownToPlainText } from '../../render/markdown';

/** Characters of a rated reply shown in the list. */
export const EXCERPT_CHARS = 280;

/**
 * The start of a reply as plain text: its markdown rendered (sanitized, in an inert document)
 * and reduced to text, so the list never shows raw markup or runs anything the model wrote.
 */
export function excerptOf(markdown: string, limit: number = EXCERPT_CHARS): string {
  const text = markdownToPlainText(markdown);
  if (text.length <= limit) return text;
  // Cut at a word boundary when there is one near the limit.
  const cut = text.slice(0, limit);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit * 0.7 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(time: number): string {
  return dateFormat.format(time);
}
