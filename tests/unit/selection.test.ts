import { describe, expect, it } from 'vitest';
import { chooseCandidate, SAFE_TOPIC_CHANGES, safetyNoteFor, topicChange } from '../../src/reward/selection';
import type { RewardScore, SafetyScore } from '../../workers/shared/reward-protocol';

const reward = (ok: number): RewardScore => ({ ok, label: ok >= 0.5 ? '__ok__' : '__not_ok__', trainingCount: 20 });
const safe = (unsafe = 0.01): SafetyScore => ({ unsafe, label: 'unsafe', flagged: false });
const unsafe = (score = 0.97): SafetyScore => ({ unsafe: score, label: 'unsafe', flagged: true });

describe('best-of-N choice', () => {
  it('picks the highest-reward candidate among the safe ones, even when an unsafe one scores higher', () => {
    const choice = chooseCandidate([
      { text: 'a', safety: safe(), reward: reward(0.4) },
      { text: 'b', safety: unsafe(), reward: reward(0.95) },
      { text: 'c', safety: safe(), reward: reward(0.7) },
      { text: 'd', safety: safe(), reward: reward(0.2) },
    ]);
    expect(choice.index).toBe(2);
    expect(choice.candidates.map((c) => [c.text, c.chosen, c.droppedFor])).toEqual([
      ['a', false, 'lower-reward'],
      ['b', false, 'unsafe'],
      ['c', true, undefined],
      ['d', false, 'lower-reward'],
    ]);
    expect(choice.reason).toBe('Highest reward among 3 safe candidates of 4: Good reply 70% (__ok__ 0.70). 1 dropped as unsafe.');
  });

  it('returns no choice when every candidate is unsafe, so the reply becomes a change of topic', () => {
    const choice = chooseCandidate([{ text: 'x', safety: unsafe() }, { text: 'y', safety: unsafe(0.6) }]);
    expect(choice.index).toBeNull();
    expect(choice.candidates.every((c) => c.droppedFor === 'unsafe')).toBe(true);
    expect(choice.reason).toContain('flagged unsafe');
  });

  it('keeps the first safe candidate when no reward model could rank them, and says so', () => {
    const choice = chooseCandidate([{ text: 'x', safety: unsafe() }, { text: 'y' }, { text: 'z' }]);
    expect(choice.index).toBe(1);
    expect(choice.reason).toContain('not available');
  });

  it('does not call the first of equal 50% scores "highest" while the reward model has learned nothing', () => {
    const untrained: RewardScore = { ok: 0.5, label: '__ok__', trainingCount: 0 };
    const choice = chooseCandidate([{ text: 'x', reward: untrained }, { text: 'y', reward: untrained }]);
    expect(choice.index).toBe(0);
    expect(choice.reason).toBe('The first safe one of 2 candidates: the reward model has not learned from any rating yet, so it cannot rank them.');
    expect(chooseCandidate([{ text: 'x', reward: reward(0.25) }]).reason).toBe('Only one candidate: Weak reply 25% (__not_ok__ 0.75).');
  });

  it('a tie goes to the earlier candidate', () => {
    expect(chooseCandidate([{ text: 'x', reward: reward(0.6) }, { text: 'y', reward: reward(0.6) }]).index).toBe(0);
  });
});

describe('topic changes', () => {
  it('offer several variants, and the same reply always gets the same one', () => {
    expect(new Set(SAFE_TOPIC_CHANGES).size).toBeGreaterThanOrEqual(3);
    const picked = new Set(Array.from({ length: 40 }, (_, i) => topicChange(`reply-${i}`)));
    expect(picked.size).toBeGreaterThan(1);
    expect(topicChange('reply-7')).toBe(topicChange('reply-7'));
  });

  it('the note tells the user what was flagged, the score, the threshold and where to change it, on one scale', () => {
    const note = safetyNoteFor('your message', unsafe(0.93), 0.5);
    expect(note).toMatch(/^Safety check: flagged \(93% unsafe\)\./);
    expect(note).toContain('"unsafe" score for your message');
    expect(note).toContain('your threshold of 50%');
    expect(note).toContain('Settings');
    expect(note).not.toMatch(/0\.93|0\.50/);
  });
});
