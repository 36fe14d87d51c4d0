export interface TextWindow {
  start: number;
  end: number;
}

/**
 * Cuts `start..end` of a text into windows of at most `maxLength` characters, each ending at
 * whitespace where there is some, the next one starting `overlap` characters earlier so that
 * nothing shorter than the overlap is cut in two. The taggers used here slow down more than
 * linearly on very long sentences (a 100 KB log pasted without full stops); real names and
 * numbers are short.
 */
export function windowsOf(text: string, start: number, end: number, maxLength: number, overlap: number): TextWindow[] {
  const windows: TextWindow[] = [];
  let from = start;
  while (end - from > maxLength) {
    const limit = from + maxLength;
    const space = text.lastIndexOf(' ', limit);
    const cut = space > from + overlap ? space : limit;
    windows.push({ start: from, end: cut });
    const next = text.indexOf(' ', cut - overlap);
    from = next !== -1 && next < cut ? next + 1 : cut;
  }
  windows.push({ start: from, end });
  return windows;
}
