/**
 * One checkpoint of `npm run eval:learn`: on held-out prompts, the share of replies the simulated
 * user dislikes when one reply is sampled from model + adapter (N = 1), and when 4 candidates are
 * sampled (`candidates: 4`, also with the adapter) and the personal reward head picks one (its
 * highest P(ok); the first on a tie, as an untrained head scores every reply 0.5).
 */
import type { DialogueModel } from '../../workers/dialogue/dialogue-model';
import type { LogitAdapterState } from '../../workers/learning/logit-adapter';
import { replyFeatures, type EncodeTokens } from '../../workers/reward/features';
import { HeadScorer } from '../../workers/reward/personal-head';
import type { ChatTurn, SamplingSettings } from '../../workers/shared/protocol';
import type { PersonalHeadState } from '../../workers/shared/reward-protocol';
import { judge, type Preference } from './preference';
import type { PhaseTimer } from './stats';
import { wordCount } from './words';

export interface CheckpointOptions {
  model: DialogueModel;
  encode: EncodeTokens;
  preference: Preference;
  systemPrompt: string;
  sampling: SamplingSettings;
  timer: PhaseTimer;
  /** The chat model's token ids of a text. */
  tokenize: (text: string) => number[];
}

export interface CheckpointRates {
  dislikedRate: number;
  dislikedRateBestOf4: number;
  /** Per held-out prompt, every reply sampled for it (the single one first), for the liked reference set. */
  samples: string[][];
  /** Mean words per single reply (whitespace-separated). */
  meanWords: number;
  /**
   * Mean over the non-empty single replies of distinct tokens / tokens (the text encoded again):
   * near 1 for the unadapted word soup, low when an adapter makes the model repeat a few tokens.
   */
  distinctTokens: number;
}

export async function evaluateCheckpoint(
  o: CheckpointOptions,
  prompts: readonly string[],
  adapter: LogitAdapterState | null,
  head: PersonalHeadState,
  tag: string,
): Promise<CheckpointRates> {
  o.model.setAdapter(adapter);
  const scorer = new HeadScorer(head);
  let disliked = 0;
  let dislikedBest = 0;
  let words = 0;
  const distinct: number[] = [];
  const samples: string[][] = [];
  for (const [j, prompt] of prompts.entries()) {
    const turns: ChatTurn[] = [{ role: 'user', content: prompt }];
    const single = await o.timer.time('held-out N=1', () =>
      o.model.generate({ conversationId: `${tag}-1-${j}`, systemPrompt: o.systemPrompt, turns, sampling: o.sampling }),
    );
    if (judge(o.preference, single.text) === 'disliked') disliked += 1;
    words += wordCount(single.text);
    const ids = o.tokenize(single.text);
    if (ids.length) distinct.push(new Set(ids).size / ids.length);
    const batch = await o.timer.time('held-out best-of-4 sampling', () =>
      o.model.generate({ conversationId: `${tag}-4-${j}`, systemPrompt: o.systemPrompt, turns, sampling: o.sampling, candidates: 4 }),
    );
    const features = await o.timer.time('reward features', () => replyFeatures(o.encode, turns, batch.candidates));
    let best = 0;
    let bestScore = -Infinity;
    features.forEach((f, i) => {
      const score = scorer.probability(f);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    });
    if (judge(o.preference, batch.candidates[best] ?? '') === 'disliked') dislikedBest += 1;
    samples.push([single.text, ...batch.candidates]);
  }
  const n = Math.max(1, prompts.length);
  const distinctTokens = distinct.length ? distinct.reduce((a, b) => a + b, 0) / distinct.length : NaN;
  return { dislikedRate: disliked / n, dislikedRateBestOf4: dislikedBest / n, samples, meanWords: words / n, distinctTokens };
}
