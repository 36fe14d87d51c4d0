/** Reverses scripts/deid-word-lists/front-coding.ts: each line is a shared-prefix digit, then the rest. */
export function decodeFrontCoded(encoded: string): string[] {
  const entries: string[] = [];
  let previous = '';
  for (const line of encoded.split('\n')) {
    if (line === '') continue;
    previous = previous.slice(0, Number(line[0])) + line.slice(1);
    entries.push(previous);
  }
  return entries;
}
