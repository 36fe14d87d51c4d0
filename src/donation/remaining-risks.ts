/**
 * What may still identify someone after de-identification: the preview lists these under
 * "Check these before sending", and the user replaces or keeps each one. The recognizers miss
 * things (a UK mobile, a town, a US ZIP code), so this looks at the de-identified text with
 * cruder, independent signs rather than trusting what the report says was removed:
 *   - runs of digits: five or more in a row, or seven or more in short groups ("07700 900123");
 *   - capitalised words after a personal cue ("I live in Springfield, IL");
 *   - names — capitalised words the dictionary does not know as everyday ones — used in the
 *     middle of a sentence, that recur in more than one text ("Frobnitz Labs" in a question and
 *     in its answer, where a recognizer replaced only the first, after "I work at").
 * It runs in the de-identification worker with the bundle build: plain functions, no DOM.
 */
import { isEverydayWord } from './known-words';
import { capitalisedAfterCues, MASK } from './risk-cues';
import { ENTITY_TYPES } from './bundle-types';

export type RiskReason =
  | { kind: 'digits' }
  | { kind: 'after-cue'; cue: string }
  | { kind: 'recurring'; texts: number };

export interface RemainingRisk {
  /** The exact string as it stands in the bundle. */
  text: string;
  reasons: RiskReason[];
  /** Its first appearance with some words around it, on one line. */
  context: string;
}

const PLACEHOLDER = new RegExp(String.raw`\[(?:${ENTITY_TYPES.join('|')})_\d+\]`, 'g');
/** Digits in groups joined by one space, dash or dot, not part of a word. */
const DIGIT_RUN = /(?<![\p{L}\p{N}_])\d+(?:[ .-]\d+)*(?![\p{L}\p{N}_])/gu;
/** Dates are everyday; a date of birth has its own recognizer. */
const DATE = /^(?:\d{4}[.-]\d{1,2}[.-]\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{4})$/;
/** A word in lower case, to tell "Table" (a word that starts a sentence) from a name. */
const LOWER_CASE_WORD = /(?<![\p{L}\p{M}\p{N}'’-])\p{Ll}[\p{L}\p{M}\p{N}'’-]*/gu;
/** Capitalised words in a row, one name: "Frobnitz Labs", "Jane Smith". */
const CAPITALISED_RUN = /(?<![\p{L}\p{M}\p{N}'’-])\p{Lu}[\p{L}\p{M}\p{N}'’-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}\p{N}'’-]*)*/gu;
const CONTEXT_CHARS = 40;

/** Placeholders become MASK characters of the same length, so offsets still fit the text. */
function masked(text: string): string {
  return text.replace(PLACEHOLDER, (placeholder) => MASK.repeat(placeholder.length));
}

function isRiskyDigitRun(run: string): boolean {
  if (DATE.test(run)) return false;
  const groups = run.split(/[ .-]/);
  const longest = Math.max(...groups.map((group) => group.length));
  const digits = groups.reduce((n, group) => n + group.length, 0);
  return longest >= 5 || (digits >= 7 && longest >= 3);
}

/** True when only spaces, quotes or markdown stand between the start of a sentence and `index`. */
function startsSentence(text: string, index: number): boolean {
  let at = index - 1;
  while (at >= 0 && /[\s"'“‘(*_#>`-]/u.test(text[at]!)) at -= 1;
  return at < 0 || /[.!?:\n]/.test(text[at]!);
}

interface Seen {
  text: number;
  index: number;
  reasons: RiskReason[];
}

interface NameUse {
  texts: number;
  lastText: number;
  first: { text: number; index: number };
  midSentence: boolean;
}

/**
 * The names a run of capitalised words may be, as [offset in the run, name]: the whole run and,
 * at the start of a sentence, the run less the everyday words that may only have their capital
 * from there ("Hello Jane Smith": also "Jane Smith"; "Stark Freight pays": also "Freight").
 */
function namesIn(run: string, atSentenceStart: boolean, isEveryday: (word: string) => boolean): [number, string][] {
  const names: [number, string][] = [[0, run]];
  if (!atSentenceStart) return names;
  const words = [...run.matchAll(/\S+/g)];
  let from = 0;
  while (from < words.length && isEveryday(words[from]![0])) from += 1;
  if (from > 0 && from < words.length) names.push([words[from]!.index, run.slice(words[from]!.index)]);
  return names;
}

/**
 * Names (runs of capitalised words, see namesIn) used mid-sentence somewhere and found in more
 * than one text. A single word also seen in lower case ("Table", "table") is ordinary.
 */
function recurringNames(texts: readonly string[], isEveryday: (word: string) => boolean): Map<string, NameUse> {
  const uses = new Map<string, NameUse>();
  const lowerCase = new Set<string>();
  texts.forEach((text, t) => {
    for (const match of text.matchAll(LOWER_CASE_WORD)) lowerCase.add(match[0]);
    for (const run of text.matchAll(CAPITALISED_RUN)) {
      for (const [offset, name] of namesIn(run[0], startsSentence(text, run.index), isEveryday)) {
        if (name.length < 2) continue;
        const index = run.index + offset;
        const use = uses.get(name) ?? { texts: 0, lastText: -1, first: { text: t, index }, midSentence: false };
        if (use.lastText !== t) {
          use.texts += 1;
          use.lastText = t;
        }
        use.midSentence ||= !startsSentence(text, index);
        uses.set(name, use);
      }
    }
  });
  for (const [name, use] of uses) {
    if (use.texts < 2 || !use.midSentence || lowerCase.has(name.toLowerCase()) || isEveryday(name)) uses.delete(name);
  }
  return uses;
}

function contextOf(text: string, index: number, length: number): string {
  let from = Math.max(0, index - CONTEXT_CHARS);
  let to = Math.min(text.length, index + length + CONTEXT_CHARS);
  // Whole words at either end, unless a single word runs into the string itself.
  if (from > 0) {
    const space = text.indexOf(' ', from);
    from = space >= 0 && space < index ? space + 1 : index;
  }
  if (to < text.length) to = Math.max(index + length, text.lastIndexOf(' ', to));
  return `${from > 0 ? '…' : ''}${text.slice(from, to).replace(/\s+/g, ' ').trim()}${to < text.length ? '…' : ''}`;
}

/**
 * The strings in `texts` (a bundle's de-identified messages and comments) that may still
 * identify someone, each once, in the order a reader meets them. Placeholders never count.
 */
export function findRemainingRisks(texts: readonly string[], isEveryday: (word: string) => boolean = isEverydayWord): RemainingRisk[] {
  const found = new Map<string, Seen>();
  const add = (value: string, reason: RiskReason, text: number, index: number) => {
    const seen = found.get(value) ?? { text, index, reasons: [] };
    if (!seen.reasons.some((r) => r.kind === reason.kind)) seen.reasons.push(reason);
    // Listed where a reader first meets it, whichever sign found it.
    if (text < seen.text || (text === seen.text && index < seen.index)) Object.assign(seen, { text, index });
    found.set(value, seen);
  };
  const scanned = texts.map(masked);
  scanned.forEach((text, t) => {
    for (const run of text.matchAll(DIGIT_RUN)) if (isRiskyDigitRun(run[0])) add(run[0], { kind: 'digits' }, t, run.index);
    for (const name of capitalisedAfterCues(text, isEveryday)) add(name.text, { kind: 'after-cue', cue: name.cue }, t, name.index);
  });
  for (const [name, use] of recurringNames(scanned, isEveryday)) add(name, { kind: 'recurring', texts: use.texts }, use.first.text, use.first.index);

  return [...found.entries()]
    .sort(([, a], [, b]) => a.text - b.text || a.index - b.index)
    .map(([text, seen]) => ({ text, reasons: seen.reasons, context: contextOf(texts[seen.text]!, seen.index, text.length) }));
}
