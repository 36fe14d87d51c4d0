import type { ChatTurn } from '../shared/protocol';

export interface FittedPrompt {
  turns: ChatTurn[];
  tokenCount: number;
  droppedTurns: number;
}

export interface FitOptions {
  /**
   * Turns the conversation's previous prompt had already dropped. Starting from there keeps the
   * kept history the same from turn to turn, so each prompt extends the last one (and its cache).
   */
  alreadyDropped?: number;
  /**
   * When the prompt no longer fits, trim it down to this many tokens rather than just under the
   * budget: trimming one exchange per turn would change the prompt's start on every turn and
   * prefill the whole window each time; one larger step lets the next turns extend the cache.
   */
  trimTarget?: number;
}

/**
 * Keeps the system prompt and the newest turns that fit in `budget` tokens.
 * Turns are dropped from the oldest end, whole user/assistant exchanges at a time so the
 * prompt never starts with an orphaned assistant reply. The newest user turn is always kept:
 * if even that does not fit, the caller gets a prompt over budget and must say so.
 *
 * `countTokens` renders the turns through the chat template and counts them, so the template's
 * own tokens are part of the measure.
 */
export function fitToContextWindow(
  systemPrompt: string,
  turns: ChatTurn[],
  budget: number,
  countTokens: (turns: ChatTurn[]) => number,
  options: FitOptions = {},
): FittedPrompt {
  const system: ChatTurn[] = systemPrompt.trim() ? [{ role: 'system', content: systemPrompt }] : [];
  const lastUser = lastUserTurnIndex(turns);
  let start = exchangeStartAtOrBefore(turns, Math.min(options.alreadyDropped ?? 0, lastUser));
  let target = budget;
  for (;;) {
    const candidate = [...system, ...turns.slice(start)];
    const tokenCount = countTokens(candidate);
    if (tokenCount <= target || start >= lastUser) {
      return { turns: candidate, tokenCount, droppedTurns: start };
    }
    // Over budget: from here on, trim down to the target.
    target = Math.min(budget, options.trimTarget ?? budget);
    start = nextExchangeStart(turns, start);
  }
}

function lastUserTurnIndex(turns: ChatTurn[]): number {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i]?.role === 'user') return i;
  return 0;
}

/** The exchange boundary at or before `index` (a user turn, or the very start). */
function exchangeStartAtOrBefore(turns: ChatTurn[], index: number): number {
  for (let i = index; i > 0; i--) if (turns[i]?.role === 'user') return i;
  return 0;
}

/** Index of the next user turn after `start`: dropping stops only at an exchange boundary. */
function nextExchangeStart(turns: ChatTurn[], start: number): number {
  for (let i = start + 1; i < turns.length; i++) if (turns[i]?.role === 'user') return i;
  return turns.length - 1;
}
