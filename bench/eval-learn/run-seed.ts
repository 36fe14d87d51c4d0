/**
 * One seed of `npm run eval:learn` for one model and preference: the simulated user rates
 * replies to training prompts one at a time (the adapter retraining as it goes), and at each
 * checkpoint K the held-out rates and the liked replies' log-probability are measured.
 *
 * transformers.js samples from its own generator (`random`, a Mersenne Twister seeded from OS
 * entropy); it is seeded from the run's seed, so a run samples the same on one machine (up to
 * onnxruntime giving bit-identical logits, which it does for one build and thread count).
 */
import { random } from '@huggingface/transformers';
import type { DialogueModel } from '../../workers/dialogue/dialogue-model';
import type { TrainOptions } from '../../workers/learning/adapter-trainer';
import { projectContext, tokenBias, type LogitAdapterState } from '../../workers/learning/logit-adapter';
import type { EncodeTokens } from '../../workers/reward/features';
import type { RatedReplyLogits } from '../../workers/shared/learning-protocol';
import { mulberry32 } from '../../workers/shared/seeded-random';
import type { SamplingSettings } from '../../workers/shared/protocol';
import { evaluateCheckpoint } from './checkpoint';
import { exactMeanLogProb, type FullLogits, type FullRows } from './full-logits';
import { Learner } from './learner';
import { meanTokenLogProb } from './log-prob';
import type { Preference } from './preference';
import { prompts } from './prompts';
import { likedReference } from './reference';
import { mean, type PhaseTimer } from './stats';
import { wordMatcher } from './words';

export interface SeedOptions {
  model: DialogueModel;
  modelId: string;
  encode: EncodeTokens;
  encoderId: string;
  featureSize: number;
  preference: Preference;
  systemPrompt: string;
  sampling: SamplingSettings;
  seed: number;
  ks: number[];
  trainEvery: number;
  heldOutPrompts: number;
  train: TrainOptions;
  timer: PhaseTimer;
  /** The adapter's context features of a user turn (as the dialogue model computes them). */
  contextFeatures: (text: string) => Float32Array;
  /** The token each disliked word starts with (`FullLogits.wordToken`), and the end-of-turn token, for diagnostics. */
  dislikedTokens: number[];
  stopToken: number | null;
  full: FullLogits;
  positiveStop: boolean;
  stopInRows: boolean;
  rowsK: number | null;
  placeboDown: number | null;
  log: (line: string) => void;
}

export interface CheckpointRow {
  k: number;
  dislikedRate: number;
  dislikedRateBestOf4: number;
  /** Exact: every vocabulary entry's bias in the normaliser (full-logits.ts). */
  likedLogProbChange: number;
  likedLogProb: number;
  /** The same from the sparse rows, with the rest held at its frozen logits (log-prob.ts). */
  likedLogProbChangeSparse: number;
  /** Rated replies the adapter learned from (a disliked empty reply gives none). */
  examples: number;
  /** Diagnostics. */
  positives: number;
  sampledForRatings: number;
  trainSteps: number;
  lossFirst: number;
  lossLast: number;
  trainMs: number;
  /** Mean over held-out contexts and disliked words of the adapter's bias on the token the word starts with. */
  dislikedTokenBias: number;
  stopTokenBias: number;
  /** Disliked words that occurred in some thumbs-down reply so far. */
  dislikedWordsSeen: number;
  meanWords: number;
  /** Distinct tokens / tokens in a single reply, averaged (low: the model repeats itself). */
  distinctTokens: number;
}

export interface SeedResult {
  rows: CheckpointRow[];
  likedReplies: number;
  syntheticLiked: number;
}

function meanBias(adapter: LogitAdapterState | null, tokens: readonly number[], contexts: readonly Float32Array[]): number {
  if (!adapter || adapter.exampleCount === 0 || !tokens.length) return 0;
  const values: number[] = [];
  for (const features of contexts) {
    const p = projectContext(adapter, features);
    for (const t of tokens) values.push(tokenBias(adapter, t, p));
  }
  return mean(values);
}

export async function runSeed(o: SeedOptions): Promise<SeedResult> {
  random.seed((o.seed * 2654435761) >>> 0);
  return run(o);
}

async function run(o: SeedOptions): Promise<SeedResult> {
  const maxK = Math.max(...o.ks);
  // The most replies sampled for ratings; a preference that leaves most replies unrated may stop short.
  const maxSampled = 20 * maxK + 50;
  const trainPrompts = prompts(o.seed, 'train', Math.min(maxSampled, 500));
  const heldOut = prompts(o.seed, 'held-out', o.heldOutPrompts);
  const heldOutFeatures = heldOut.map((p) => o.contextFeatures(p));
  const learner = new Learner({ ...o });
  const checkpoint = {
    model: o.model,
    encode: o.encode,
    preference: o.preference,
    systemPrompt: o.systemPrompt,
    sampling: o.sampling,
    timer: o.timer,
    tokenize: (text: string) => o.full.encode(text),
  };
  const rows: CheckpointRow[] = [];
  let reference: { sparse: RatedReplyLogits; full: FullRows }[] = [];
  let startLogProb = NaN;
  let startSparse = NaN;
  let synthetic = 0;
  let likedCount = 0;
  for (const k of o.ks) {
    while (learner.ratings < k && learner.sampled < maxSampled) {
      const next = learner.ratings + 1;
      await learner.offer(trainPrompts[learner.sampled % trainPrompts.length]!, next === k);
    }
    if (learner.ratings < k) {
      o.log(`  seed ${o.seed}: only ${learner.ratings} ratings from ${learner.sampled} replies; checkpoint K=${k} and later skipped`);
      break;
    }
    const adapter = k > 0 ? learner.adapter : null;
    const rates = await evaluateCheckpoint(checkpoint, heldOut, adapter, learner.head, `s${o.seed}k${k}`);
    if (k === 0) {
      const liked = likedReference(o.preference, heldOut, rates.samples, mulberry32(o.seed + 77));
      synthetic = liked.filter((l) => l.synthetic).length;
      likedCount = liked.length;
      reference = [];
      for (const item of liked) {
        const turns = [{ role: 'user' as const, content: item.prompt }];
        reference.push({
          sparse: await o.timer.time('liked-reply logits', () =>
            o.model.ratedReplyLogits({ systemPrompt: o.systemPrompt, turns, reply: item.reply, includeStop: false, temperature: o.sampling.temperature }),
          ),
          full: await o.timer.time('liked-reply logits', () => o.full.rows(o.systemPrompt, item.prompt, item.reply, false)),
        });
      }
    }
    const likedLogProb = await o.timer.time('liked log-prob', () => mean(reference.map((r) => exactMeanLogProb(r.full, adapter, o.sampling.temperature))));
    const likedSparse = mean(reference.map((r) => meanTokenLogProb(r.sparse.logits, r.sparse.features, adapter)));
    if (k === 0) {
      startLogProb = likedLogProb;
      startSparse = likedSparse;
    }
    const negatives = learner.rated.filter((r) => !r.positive).map((r) => wordMatcher(r.text));
    const train = k > 0 ? learner.lastTrain : null;
    const row: CheckpointRow = {
      k,
      dislikedRate: rates.dislikedRate,
      dislikedRateBestOf4: rates.dislikedRateBestOf4,
      likedLogProbChange: (likedLogProb - startLogProb) / Math.abs(startLogProb),
      likedLogProb,
      likedLogProbChangeSparse: (likedSparse - startSparse) / Math.abs(startSparse),
      examples: learner.examples.length,
      positives: learner.rated.filter((r) => r.positive).length,
      sampledForRatings: learner.sampled,
      trainSteps: train?.steps ?? 0,
      lossFirst: train?.losses[0] ?? NaN,
      lossLast: train?.losses.at(-1) ?? NaN,
      trainMs: train?.ms ?? 0,
      dislikedTokenBias: meanBias(adapter, o.dislikedTokens, heldOutFeatures),
      stopTokenBias: o.stopToken === null ? 0 : meanBias(adapter, [o.stopToken], heldOutFeatures),
      dislikedWordsSeen: o.preference.dislikeWords.filter((w) => negatives.some((has) => has(w))).length,
      meanWords: rates.meanWords,
      distinctTokens: rates.distinctTokens,
    };
    rows.push(row);
    o.log(
      `  seed ${o.seed} K=${k}: disliked ${row.dislikedRate.toFixed(3)}, best-of-4 ${row.dislikedRateBestOf4.toFixed(3)}, ` +
        `liked log-prob ${likedLogProb.toFixed(3)} (${(100 * row.likedLogProbChange).toFixed(1)}%; sparse ${(100 * row.likedLogProbChangeSparse).toFixed(1)}%), ` +
        `${row.positives}+/${k - row.positives}- (${row.examples} learnable) from ${row.sampledForRatings} replies, ` +
        `train ${row.trainSteps} steps loss ${row.lossFirst.toFixed(3)}→${row.lossLast.toFixed(3)} in ${row.trainMs.toFixed(0)} ms, ` +
        `bias on disliked-word tokens ${row.dislikedTokenBias.toFixed(3)}, on end-of-turn ${row.stopTokenBias.toFixed(3)}, ` +
        `disliked words seen ${row.dislikedWordsSeen}/${o.preference.dislikeWords.length}, ${row.meanWords.toFixed(1)} words/reply (${(100 * row.distinctTokens).toFixed(0)}% distinct tokens)`,
    );
    for (const sample of rates.samples.slice(0, 2)) o.log(`    e.g. ${JSON.stringify(sample[0]!.slice(0, 140))}`);
  }
  reference = [];
  return { rows, likedReplies: likedCount, syntheticLiked: synthetic };
}
