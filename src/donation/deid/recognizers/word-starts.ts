const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * The matches of a global `pattern` that start a word (not right after a letter or digit) and
 * that `accept` takes; after a refused match the search goes on one character later, so nothing
 * it covered is skipped. Checking the word start here rather than with a lookbehind at the head
 * of the pattern matters for speed: a lookbehind is tried at every position of the text, before
 * the engine can skip ahead to where the pattern's first character occurs.
 */
export function* wordStarts(
  text: string,
  pattern: RegExp,
  accept: (match: RegExpExecArray) => boolean = () => true,
): Generator<RegExpExecArray> {
  const search = new RegExp(pattern.source, pattern.flags);
  for (let match = search.exec(text); match !== null; match = search.exec(text)) {
    if (WORD_CHAR.test(text[match.index - 1] ?? '') || !accept(match)) {
      search.lastIndex = match.index + 1;
      continue;
    }
    yield match;
  }
}
