import { describe, expect, it } from 'vitest';
import {
  candidateOutcome,
  candidateRewardText,
  rewardBadgeText,
  safetyText,
  trainingSummary,
} from '../../src/ui/reward/score-text';

describe('reward and safety wording', () => {
  it('shows the reward BB3x-style, with the ok probability to 2 decimals', () => {
    expect(rewardBadgeText({ ok: 0.7281, label: '__ok__', trainingCount: 4 })).toBe('__ok__ 0.73');
    expect(rewardBadgeText({ ok: 0.31, label: '__not_ok__', trainingCount: 1 })).toBe('__not_ok__ 0.31');
  });

  it('calls an untrained head untrained on the badge, but keeps the number for comparing candidates', () => {
    expect(rewardBadgeText({ ok: 0.5, label: '__ok__', trainingCount: 0 })).toBe('untrained');
    expect(candidateRewardText({ ok: 0.5, label: '__ok__', trainingCount: 0 })).toBe('__ok__ 0.50 (untrained)');
    expect(candidateRewardText(undefined)).toBe('not scored');
  });

  it('says safe or unsafe from the classifier verdict', () => {
    expect(safetyText({ unsafe: 0.021, label: 'toxic', flagged: false })).toBe('safe 0.02');
    expect(safetyText({ unsafe: 0.971, label: 'toxic', flagged: true })).toBe('unsafe 0.97 (toxic)');
    expect(safetyText(undefined)).toBe('not checked');
  });

  it('says why a candidate was or was not shown', () => {
    expect(candidateOutcome({ text: 'a', chosen: true })).toBe('Chosen');
    expect(candidateOutcome({ text: 'a', chosen: false, droppedFor: 'unsafe' })).toBe('Dropped: unsafe');
    expect(candidateOutcome({ text: 'a', chosen: false, droppedFor: 'lower-reward' })).toBe('Lower reward');
  });

  it('counts ratings and updates', () => {
    expect(trainingSummary(2, 3)).toBe('Your reward model learned from 2 ratings (3 updates)');
    expect(trainingSummary(0, 0)).toBe('Your reward model learned from 0 ratings (0 updates)');
    expect(trainingSummary(1, 1)).toBe('Your reward model learned from 1 rating (1 update)');
  });
});
