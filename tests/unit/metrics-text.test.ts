/**
 * Issue 13 (C): a message with `"metrics": {}` blanked its whole conversation (`toFixed` of
 * undefined while rendering). What the UI shows of metrics and scores never throws, whatever a
 * stored record holds.
 */
import { describe, expect, it } from 'vitest';
import type { RewardScore, SafetyScore } from '../../workers/shared/reward-protocol';
import { formatFigure, metricsLine } from '../../src/ui/metrics-text';
import { candidateRewardText, rewardBadgeText, safetyText } from '../../src/ui/reward/score-text';
import { METRICS } from '../support/backup-records';

describe('the metrics line under a reply', () => {
  it('reads as before for a complete record', () => {
    expect(metricsLine(METRICS)).toBe('WASM · q8 · first token 121 ms · 31.3 tok/s · 9 tokens (12/40 prompt tokens prefilled)');
    expect(metricsLine({ ...METRICS, backend: 'webgpu', dtype: 'q4' })).toMatch(/^WebGPU · q4 · /);
  });

  it('leaves out what a record lacks or holds wrongly, and never throws', () => {
    expect(metricsLine({})).toBeNull();
    expect(metricsLine(null)).toBeNull();
    expect(metricsLine({ decodeTokensPerSecond: 12 })).toBe('12.0 tok/s');
    expect(metricsLine({ ttftMs: NaN, decodeTokensPerSecond: Infinity, newTokens: '5', backend: 'tpu', dtype: 7 })).toBeNull();
    expect(metricsLine({ newTokens: 3, prefillTokens: 2 })).toBe('3 tokens');
    expect(metricsLine('junk' as unknown as object)).toBeNull();
  });

  it('formats only finite numbers', () => {
    expect(formatFigure(1.26, 1)).toBe('1.3');
    for (const odd of [undefined, null, NaN, -Infinity, '3', {}, []]) expect(formatFigure(odd)).toBeNull();
  });
});

describe('reward and safety scores', () => {
  it('show "?" for a score that is not a number instead of throwing', () => {
    const reward = { ok: undefined, label: '__ok__', trainingCount: 2 } as unknown as RewardScore;
    const safety = { unsafe: 'high', label: 'toxic', flagged: true } as unknown as SafetyScore;
    expect(rewardBadgeText(reward)).toBe('Good reply ?');
    expect(candidateRewardText(reward)).toBe('Good reply ? (__ok__ ?)');
    expect(safetyText(safety)).toBe('Safety check: flagged (? unsafe; __unsafe__ ?; classifier label: toxic)');
  });
});
