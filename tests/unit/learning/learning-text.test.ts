/** What Settings and Look inside say about the generation adapter (src/ui/learning/learning-text.ts). */
import { describe, expect, it } from 'vitest';
import { adapterEffectText, learningSummary, timeAgo } from '../../../src/ui/learning/learning-text';
import type { LearnerStatus } from '../../../src/learning/adapter-learner';

const status = (changes: Partial<LearnerStatus>): LearnerStatus => ({
  modelId: 'demo-chat-tiny', ratings: 0, updatedAt: null, waiting: 0, training: false, applied: false, error: null, ...changes,
});
const NOW = 1_700_000_000_000;

describe('learning texts', () => {
  it('says how many rated replies it learned from, and when', () => {
    expect(learningSummary(status({ ratings: 1, updatedAt: NOW - 30_000 }), true, NOW)).toBe('Learned from 1 rated reply · just now');
    expect(learningSummary(status({ ratings: 12, updatedAt: NOW - 5 * 60_000 }), true, NOW)).toBe('Learned from 12 rated replies · 5 min ago');
    expect(learningSummary(status({ ratings: 12, updatedAt: NOW - 3 * 3_600_000, waiting: 1 }), true, NOW)).toBe('Learned from 12 rated replies · 3 h ago · learning…');
  });

  it('says when it has learned nothing yet, and when it is off', () => {
    expect(learningSummary(status({}), true, NOW)).toBe('Nothing learned yet: rate replies to teach it.');
    expect(learningSummary(status({ waiting: 2 }), true, NOW)).toBe('Nothing learned yet: rate replies to teach it. · learning…');
    expect(learningSummary(status({ ratings: 4, updatedAt: NOW }), false, NOW)).toBe('Off: your ratings do not change the replies.');
  });

  it('counts days', () => {
    expect(timeAgo(NOW - 86_400_000, NOW)).toBe('1 day ago');
    expect(timeAgo(NOW - 3 * 86_400_000, NOW)).toBe('3 days ago');
  });

  it('shows the adapter’s effect as probabilities with and without it', () => {
    expect(adapterEffectText({ ratings: 12, tokens: 30, meanProbWith: 0.31, meanProbWithout: 0.24 })).toBe(
      'Its tokens 1.29× as likely with what it learned (31% vs 24% a token; learned from 12 rated replies)',
    );
    // The random-weight demo model spreads its probability thin: small numbers stay readable.
    expect(adapterEffectText({ ratings: 1, tokens: 3, meanProbWith: 0.000063, meanProbWithout: 0.00006 })).toBe(
      'Its tokens 1.05× as likely with what it learned (0.0063% vs 0.006% a token; learned from 1 rated reply)',
    );
    expect(adapterEffectText({ ratings: 2, tokens: 3, meanProbWith: 0.042, meanProbWithout: 0.084 })).toBe(
      'Its tokens 0.50× as likely with what it learned (4.2% vs 8.4% a token; learned from 2 rated replies)',
    );
    expect(adapterEffectText({ ratings: 2, tokens: 0, meanProbWith: 0, meanProbWithout: 0 })).toBe(
      'Its tokens 1.00× as likely with what it learned (<0.0001% vs <0.0001% a token; learned from 2 rated replies)',
    );
  });
});
