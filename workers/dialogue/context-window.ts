import type { ChatTurn } from '../protocol';

export interface FittedPrompt {
  turns: ChatTurn[];
  tokenCount: number;
  droppedTurns: number;
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
): FittedPrompt {
  const system: ChatTurn[] = systemPrompt.trim() ? [{ role: 'system', content: systemPrompt }] : [];
  let start = 0;
  for (;;) {
    const candidate = [...system, ...turns.slice(start)];
    const tokenCount = countTokens(candidate);
    const isLastPossible = start >= lastUserTurnIndex(turns);
    if (tokenCount <= budget || isLastPossible) {
      return { turns: candidate, tokenCount, droppedTurns: start };
    }
    start = nextExchangeStart(turns, start);
  }
}

function lastUserTurnIndex(turns: ChatTurn[]): number {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i]?.role === 'user') return i;
  return 0;
}

/** Index of the next user turn after `start`: dropping stops only at an exchange boundary. */
function nextExchangeStart(turns: ChatTurn[], start: number): number {
  for (let i = start + 1; i < turns.length; i++) if (turns[i]?.role === 'user') return i;
  return turns.length - 1;
}
