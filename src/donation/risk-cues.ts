/**
 * Personal cues ("my name is", "I live in", "I work at", "my … is") and the capitalised words
 * that follow them, for the remaining-risk scan. After such a cue a capitalised word is almost
 * always a name, a place or an employer, whatever the de-identifier made of it.
 */

/** What stands in for a placeholder in the scanned text (see remaining-risks.ts). */
export const MASK = '\uFFFC';

interface Cue {
  pattern: string;
  /** A cue so common that an everyday word after it ("I'm Sorry") is not taken for a name. */
  loose?: boolean;
}

const I_AM = String.raw`(?:i\s+am|i['’]m)`;
const NOW = String.raw`(?:\s+(?:now|currently|still|also))?`;

const CUES: readonly Cue[] = [
  // "my name is", "my mobile is", "my wife's name is", "my employer was".
  { pattern: String.raw`my(?:\s+[\p{L}'’-]+){1,3}?\s+(?:is|are|was|were)` },
  { pattern: String.raw`${I_AM}\s+(?:called|named)|call\s+me|they\s+call\s+me` },
  { pattern: String.raw`i${NOW}\s+(?:live|lived|stay|grew\s+up|was\s+born|moved)\s+(?:in|at|on|near|to)` },
  { pattern: String.raw`${I_AM}\s+(?:from|based\s+in|living\s+in|staying\s+in)|i\s+come\s+from` },
  { pattern: String.raw`i${NOW}\s+(?:work|worked|study|studied|teach|taught)\s+(?:at|for|in|with)` },
  { pattern: String.raw`${I_AM}\s+(?:working|studying|teaching)\s+(?:at|for|in)|i\s+(?:go|went)\s+to` },
  { pattern: I_AM, loose: true },
];

// One pattern, one group per cue, so a match says which cue it was. Whole words only.
const CUE_PATTERN = new RegExp(String.raw`(?<![\p{L}\p{N}_])(?:${CUES.map((cue) => `(${cue.pattern})`).join('|')})(?=[^\S\n]|:)`, 'giu');

const CONNECTOR = String.raw`(?:of|de|la|le|van|von|der|den|da|del|du|di)`;
const CAPITALISED = String.raw`\p{Lu}[\p{L}\p{M}'’-]*`;
/** From where a cue ended: a placeholder, a comma, or a run of capitalised words ("University of Leeds"). */
const STEP = new RegExp(String.raw`[^\S\n]*(?:(${MASK}+)|(,)|(${CAPITALISED}(?:[^\S\n]+(?:${CONNECTOR}[^\S\n]+)?${CAPITALISED})*)|:)`, 'uy');

/** At most this many names after one cue ("Springfield, IL": two). */
const MAX_NAMES_AFTER_CUE = 4;

export interface AfterCue {
  text: string;
  index: number;
  /** The cue as written ("I live in"). */
  cue: string;
}

/**
 * The capitalised words after each cue in `text` (placeholders masked with MASK): a placeholder
 * or a comma does not end the run ("I live at [STREET_ADDRESS_1], Springfield, IL"), anything
 * else does. The pronoun "I" and single letters are not names.
 */
export function capitalisedAfterCues(text: string, isEveryday: (word: string) => boolean): AfterCue[] {
  const found: AfterCue[] = [];
  for (const match of text.matchAll(CUE_PATTERN)) {
    const loose = CUES[match.slice(1).findIndex((group) => group !== undefined)]?.loose === true;
    STEP.lastIndex = match.index + match[0].length;
    let names = 0;
    for (let step = STEP.exec(text); step !== null && names < MAX_NAMES_AFTER_CUE; step = STEP.exec(text)) {
      const name = step[3];
      if (name === undefined) continue;
      if (name.length < 2 || (loose && !name.includes(' ') && isEveryday(name))) break;
      found.push({ text: name, index: step.index + step[0].length - name.length, cue: match[0].replace(/\s+/g, ' ') });
      names += 1;
    }
  }
  return found;
}
