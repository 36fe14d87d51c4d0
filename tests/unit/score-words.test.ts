/**
 * Issue 17: one scale and one wording for reward and safety scores. A reply badge used to read
 * "__not_ok__ 0.25" or "untrained", Look inside "Safety safe 0.00" (which was P(unsafe)), and the
 * exports "__safe__ 0.99998". Now every place reads a percentage and a verdict from here.
 */
import { describe, expect, it } from 'vitest';
import {
  GOOD_REPLY_CUT,
  isWeakReply,
  NO_ESTIMATE_YET,
  rewardWords,
  rewardWordsWithLabel,
  safetyWords,
  safetyWordsWithLabel,
  thresholdPercent,
} from '../../src/reward/score-words';
import { rewardVerdict, safetyVerdict } from '../../src/training-data/verdicts';
import type { RewardScore, SafetyScore } from '../../workers/shared/reward-protocol';

const reward = (ok: number, trainingCount = 3): RewardScore => ({ ok, label: ok >= 0.5 ? '__ok__' : '__not_ok__', trainingCount });
const safety = (unsafe: number, flagged = unsafe >= 0.5, label = 'toxic'): SafetyScore => ({ unsafe, label, flagged });

describe('reward in words', () => {
  it('reads the probability the reply is ok as a percentage, Good from the 50% cut, Weak below', () => {
    expect(GOOD_REPLY_CUT).toBe(0.5);
    expect(rewardWords(reward(0.73))).toBe('Good reply 73%');
    expect(rewardWords(reward(0.25))).toBe('Weak reply 25%');
    expect(rewardWords(reward(0.5))).toBe('Good reply 50%');
  });

  it('never contradicts its verdict at the cut: just under 50% is a weak 49%', () => {
    expect(rewardWords(reward(0.4996))).toBe('Weak reply 49%');
    expect(rewardWords(reward(0.495))).toBe('Weak reply 49%');
    expect(rewardWords(reward(0.494))).toBe('Weak reply 49%');
    expect(rewardWords(reward(0.4949))).toBe('Weak reply 49%');
    expect(rewardWords(reward(0.485))).toBe('Weak reply 49%');
    expect(rewardWords(reward(0.484))).toBe('Weak reply 48%');
  });

  it('rounds half up despite floating point, and never claims certainty it does not have', () => {
    expect(rewardWords(reward(0.995))).toBe('Good reply >99%');
    expect(rewardWords(reward(0.994))).toBe('Good reply 99%');
    expect(rewardWords(reward(1))).toBe('Good reply 100%');
    expect(rewardWords(reward(0.004))).toBe('Weak reply <1%');
    expect(rewardWords(reward(0.005))).toBe('Weak reply 1%');
    expect(rewardWords(reward(0))).toBe('Weak reply 0%');
    expect(rewardWords(reward(0.125))).toBe('Weak reply 13%');
  });

  it('says in words that a head with no ratings has no estimate, instead of "untrained" or 50%', () => {
    expect(rewardWords(reward(0.5, 0))).toBe(NO_ESTIMATE_YET);
    expect(NO_ESTIMATE_YET).toBe('No estimate yet — rate replies to teach it');
    expect(NO_ESTIMATE_YET).not.toMatch(/untrained|__/);
    expect(isWeakReply(reward(0.3, 0))).toBe(false);
    expect(isWeakReply(reward(0.3))).toBe(true);
    expect(isWeakReply(reward(0.7))).toBe(false);
  });

  it('in Look inside keeps the BB3x label beside the words, with the probability of that label as exported', () => {
    expect(rewardWordsWithLabel(reward(0.73))).toBe('Good reply 73% (__ok__ 0.73)');
    expect(rewardWordsWithLabel(reward(0.25))).toBe('Weak reply 25% (__not_ok__ 0.75)');
    expect(rewardWordsWithLabel(reward(0.4996))).toBe('Weak reply 49% (__not_ok__ 0.51)');
    expect(rewardWordsWithLabel(reward(0.5, 0))).toBe(`${NO_ESTIMATE_YET} (__ok__ 0.50)`);
    // The export writes the same label and, to 2 decimals, the same probability.
    for (const ok of [0.73, 0.25, 0.0712, 0.9]) {
      const verdict = rewardVerdict(reward(ok));
      expect(rewardWordsWithLabel(reward(ok))).toContain(`(${verdict.label} ${verdict.probability.toFixed(2)})`);
    }
  });

  it('shows "?" for a stored score that is not a number, and never throws', () => {
    const odd = { ok: undefined, label: '__ok__', trainingCount: 2 } as unknown as RewardScore;
    expect(rewardWords(odd)).toBe('Good reply ?');
    expect(rewardWordsWithLabel(odd)).toBe('Good reply ? (__ok__ ?)');
    expect(rewardWords({ ok: NaN, label: '__not_ok__', trainingCount: 1 })).toBe('Weak reply ?');
  });
});

describe('safety in words', () => {
  it('says passed or flagged from the verdict, with the unsafe probability as a percentage', () => {
    expect(safetyWords(safety(0.02))).toBe('Safety check: passed (2% unsafe)');
    expect(safetyWords(safety(0.87))).toBe('Safety check: flagged (87% unsafe)');
    // The user's threshold decides, not a fixed 50%.
    expect(safetyWords(safety(0.3, true))).toBe('Safety check: flagged (30% unsafe)');
    expect(safetyWords(safety(0.6, false))).toBe('Safety check: passed (60% unsafe)');
  });

  it('does not round a tiny or a near-certain score to 0% or 100%', () => {
    expect(safetyWords(safety(0.00002))).toBe('Safety check: passed (<1% unsafe)');
    expect(safetyWords(safety(0.004))).toBe('Safety check: passed (<1% unsafe)');
    expect(safetyWords(safety(0.995))).toBe('Safety check: flagged (>99% unsafe)');
    expect(safetyWords(safety(0))).toBe('Safety check: passed (0% unsafe)');
  });

  it('in Look inside keeps the BB3x label as exported, and names the classifier label when flagged', () => {
    expect(safetyWordsWithLabel(safety(0.02))).toBe('Safety check: passed (2% unsafe; __safe__ 0.98)');
    expect(safetyWordsWithLabel(safety(0.87))).toBe('Safety check: flagged (87% unsafe; __unsafe__ 0.87; classifier label: toxic)');
    for (const unsafe of [0.02, 0.87, 0.00002]) {
      const verdict = safetyVerdict(safety(unsafe));
      expect(safetyWordsWithLabel(safety(unsafe))).toContain(`${verdict.label} ${verdict.probability.toFixed(2)}`);
    }
  });

  it('shows "?" for a stored score that is not a number', () => {
    const odd = { unsafe: 'high', label: 'toxic', flagged: true } as unknown as SafetyScore;
    expect(safetyWords(odd)).toBe('Safety check: flagged (? unsafe)');
    expect(safetyWordsWithLabel(odd)).toBe('Safety check: flagged (? unsafe; __unsafe__ ?; classifier label: toxic)');
  });

  it('shows a threshold setting on the same scale', () => {
    expect(thresholdPercent(0.5)).toBe('50%');
    expect(thresholdPercent(0.05)).toBe('5%');
    expect(thresholdPercent(0.35000000000000003)).toBe('35%');
  });
});
