/** A fence line: up to three spaces, then three or more backticks or tildes. */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Where the settled part of a streaming markdown text ends: just after its last blank line
 * outside a fenced code block, or `from` when no new blank line came. Text before that point
 * will not change how it renders (short of rare constructs that span blank lines, like loose
 * lists, which are fixed by the full render once the reply ends), so a streaming view renders
 * it once and re-renders only what follows.
 *
 * `from` must itself be a settled point (0, or an earlier result): it is outside any fence.
 */
export function settledMarkdownEnd(text: string, from = 0): number {
  let end = from;
  let fence: string | null = null;
  let lineStart = from;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    // The last line is still being written: it settles nothing.
    if (newline === -1) break;
    const line = text.slice(lineStart, newline);
    const marker = FENCE.exec(line)?.[1];
    if (fence === null) {
      if (marker) fence = marker;
      else if (line.trim() === '' && lineStart > from) end = newline + 1;
    } else if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) {
      fence = null;
    }
    lineStart = newline + 1;
  }
  return end;
}
