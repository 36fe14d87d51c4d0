import { describe, expect, it } from 'vitest';
import type { ChatTurn } from '../../workers/shared/protocol';
import { fitToContextWindow } from '../../workers/dialogue/context-window';

// One "token" per word plus two per turn for the template, like a chat template would add.
const countWords = (turns: ChatTurn[]) =>
  turns.reduce((sum, t) => sum + 2 + t.content.split(/\s+/).filter(Boolean).length, 0);

const conversation: ChatTurn[] = [
  { role: 'user', content: 'one two three four' },
  { role: 'assistant', content: 'five six seven eight' },
  { role: 'user', content: 'nine ten' },
  { role: 'assistant', content: 'eleven twelve' },
  { role: 'user', content: 'thirteen' },
];

describe('fitToContextWindow', () => {
  it('keeps everything when it fits, system prompt first', () => {
    const fitted = fitToContextWindow('be kind', conversation, 1000, countWords);
    expect(fitted.turns[0]).toEqual({ role: 'system', content: 'be kind' });
    expect(fitted.turns.slice(1)).toEqual(conversation);
    expect(fitted.droppedTurns).toBe(0);
  });

  it('drops the oldest exchange first and keeps the system prompt', () => {
    // Full prompt: system 4 + turns 6+6+4+4+3 = 27 tokens. Budget 16 forces one exchange out.
    const fitted = fitToContextWindow('be kind', conversation, 16, countWords);
    expect(fitted.turns[0]?.role).toBe('system');
    expect(fitted.turns.slice(1).map((t) => t.content)).toEqual(['nine ten', 'eleven twelve', 'thirteen']);
    expect(fitted.droppedTurns).toBe(2);
    expect(fitted.tokenCount).toBeLessThanOrEqual(16);
  });

  it('never starts the kept turns with an assistant reply', () => {
    for (let budget = 5; budget < 30; budget++) {
      const fitted = fitToContextWindow('', conversation, budget, countWords);
      expect(fitted.turns[0]?.role).toBe('user');
    }
  });

  it('keeps the newest user turn even when nothing else fits', () => {
    const fitted = fitToContextWindow('system words here', conversation, 3, countWords);
    expect(fitted.turns.map((t) => t.content)).toEqual(['system words here', 'thirteen']);
    expect(fitted.tokenCount).toBeGreaterThan(3);
  });

  it('leaves out an empty system prompt', () => {
    const fitted = fitToContextWindow('  ', conversation, 1000, countWords);
    expect(fitted.turns[0]?.role).toBe('user');
  });

  it('keeps the start the last prompt had while the prompt still fits, so it extends that prompt', () => {
    // Everything would fit again (the budget is large), but the last prompt had dropped the first exchange.
    const fitted = fitToContextWindow('', conversation, 1000, countWords, { alreadyDropped: 2 });
    expect(fitted.droppedTurns).toBe(2);
    expect(fitted.turns[0]?.content).toBe('nine ten');
  });

  it('trims down to the target in one step once the budget is exceeded', () => {
    // 23 "tokens" in all: over a budget of 20, so it trims to the target of 10, not just under 20.
    const justUnder = fitToContextWindow('', conversation, 20, countWords);
    expect(justUnder.droppedTurns).toBe(2);
    const halved = fitToContextWindow('', conversation, 20, countWords, { trimTarget: 10 });
    expect(halved.droppedTurns).toBe(4);
    expect(halved.tokenCount).toBeLessThanOrEqual(10);
  });
});
