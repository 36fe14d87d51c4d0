/**
 * One entry a line: a digit (how many leading characters it shares with the entry before, at
 * most 9) and the rest. Sorted words share long prefixes, so this saves ~30 % before gzip.
 * src/donation/deid/front-coding.ts decodes it.
 */
export function encodeFrontCoded(sorted: readonly string[]): string {
  let previous = '';
  const lines = sorted.map((entry) => {
    let shared = 0;
    while (shared < 9 && shared < previous.length && shared < entry.length && previous[shared] === entry[shared]) shared += 1;
    previous = entry;
    return `${shared}${entry.slice(shared)}`;
  });
  return lines.join('\n');
}
