/**
 * Numbers people type in groups ("4111 1111 1111 1111", "GB82 WEST 1234 …") are found as runs
 * of groups, and the checksum decides which consecutive groups form the number. This finds a
 * card between other numbers ("2024 4111 1111 1111 1111") and an IBAN followed by words.
 */
export interface Group {
  start: number;
  end: number;
  text: string;
}

export interface Window {
  start: number;
  end: number;
}

/** The groups of one run: its pieces between separators, with offsets into the whole text. */
export function groupsOf(run: string, runStart: number, separator: RegExp): Group[] {
  const groups: Group[] = [];
  let offset = 0;
  for (const piece of run.split(separator)) {
    const at = run.indexOf(piece, offset);
    groups.push({ start: runStart + at, end: runStart + at + piece.length, text: piece });
    offset = at + piece.length;
  }
  return groups;
}

/**
 * Windows of consecutive groups whose joined text (separators dropped) is `minLength` to
 * `maxLength` long and accepted by `isValid`; leftmost first, and the longest at each start.
 * Windows never overlap. `startsAt` limits which groups may begin a window.
 */
export function validWindows(
  groups: readonly Group[],
  minLength: number,
  maxLength: number,
  isValid: (joined: string) => boolean,
  startsAt: (group: Group) => boolean = () => true,
): Window[] {
  const windows: Window[] = [];
  let first = 0;
  while (first < groups.length) {
    const found = longestValidFrom(groups, first, minLength, maxLength, isValid, startsAt);
    if (found === undefined) {
      first += 1;
      continue;
    }
    windows.push({ start: groups[first]!.start, end: groups[found]!.end });
    first = found + 1;
  }
  return windows;
}

function longestValidFrom(
  groups: readonly Group[],
  first: number,
  minLength: number,
  maxLength: number,
  isValid: (joined: string) => boolean,
  startsAt: (group: Group) => boolean,
): number | undefined {
  const head = groups[first];
  if (head === undefined || !startsAt(head)) return undefined;
  // Joined prefixes grow group by group; only lengths a number can have are worth a checksum.
  const prefixes: Array<{ last: number; joined: string }> = [];
  let joined = '';
  for (let last = first; last < groups.length; last += 1) {
    joined += groups[last]!.text;
    if (joined.length > maxLength) break;
    if (joined.length >= minLength) prefixes.push({ last, joined });
  }
  for (let i = prefixes.length - 1; i >= 0; i -= 1) {
    const prefix = prefixes[i]!;
    if (isValid(prefix.joined)) return prefix.last;
  }
  return undefined;
}
