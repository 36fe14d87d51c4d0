import { describe, expect, it } from 'vitest';
import {
  candidateOutcome,
  candidateRewardText,
  rewardBadgeText,
  safetyBadgeText,
  safetyText,
  trainingSummary,
} from '../../src/ui/reward/score-text';

describe('reward and safety wording', () => {
  it('shows the badge in words with the ok probability as a percentage, no BB3x label', () => {
    expect(rewardBadgeText({ ok: 0.7281, label: '__ok__', trainingCount: 4 })).toBe('Good reply 73%');
    expect(rewardBadgeText({ ok: 0.31, label: '__not_ok__', trainingCount: 1 })).toBe('Weak reply 31%');
  });

  it('says in words that nothing was learned yet on the badge, and keeps the number and label in Look inside', () => {
    expect(rewardBadgeText({ ok: 0.5, label: '__ok__', trainingCount: 0 })).toBe('No estimate yet — rate replies to teach it');
    expect(candidateRewardText({ ok: 0.5, label: '__ok__', trainingCount: 0 })).toBe('No estimate yet — rate replies to teach it (__ok__ 0.50)');
    expect(candidateRewardText({ ok: 0.31, label: '__not_ok__', trainingCount: 2 })).toBe('Weak reply 31% (__not_ok__ 0.69)');
    expect(candidateRewardText(undefined)).toBe('No reward estimate (the reward model was not running)');
  });

  it('says passed or flagged from the classifier verdict, with P(unsafe) as a percentage', () => {
    expect(safetyBadgeText({ unsafe: 0.021, label: 'toxic', flagged: false })).toBe('Safety check: passed (2% unsafe)');
    expect(safetyText({ unsafe: 0.021, label: 'toxic', flagged: false })).toBe('Safety check: passed (2% unsafe; __safe__ 0.98)');
    expect(safetyText({ unsafe: 0.971, label: 'toxic', flagged: true })).toBe('Safety check: flagged (97% unsafe; __unsafe__ 0.97; classifier label: toxic)');
    expect(safetyText(undefined)).toBe('Safety check: not run');
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
