/**
 * A simulated user for showing that the personal head learns (DESIGN §5: "learning must be
 * shown, not claimed"). Used by the unit tests and `npm run eval:reward`, never by the app.
 *
 * The user likes replies that mention one topic word ('music') and dislikes the rest. Replies
 * are 6–15 words drawn from a seeded word bank; the topic word is inserted at a random position
 * in a share of them. The head sees only the encoder's features, never the word itself.
 */
import { mulberry32 } from '../scripts/onnx/rng';
import type { ChatTurn } from '../workers/shared/protocol';
import type { PersonalHeadState } from '../workers/shared/reward-protocol';
import { replyFeatures, type EncodeTokens } from '../workers/reward/features';
import { emptyHead, HeadScorer, trainHead } from '../workers/reward/personal-head';

export const TOPIC = 'music';

const WORDS = (
  'the a of and to in is it that for on with as was at by this from they we you be have are not or ' +
  'one all there what about which when your can said each she do how their if will up other out ' +
  'many then them these so some her would make like him into time has look two more write go see ' +
  'number no way could people my than first water been call who oil its now find long down day did ' +
  'get come made may part garden river weather travel dinner coffee morning window story city ' +
  'friend mountain paper bright quiet green yellow slowly quickly table house road light winter'
).split(' ');

/** Deterministic uniform numbers in [0, 1) from a seed (the model builder's mulberry32). */
export const seededRandom = mulberry32;

export interface SimulatedReply {
  context: ChatTurn[];
  reply: string;
  /** The simulated user's judgement: the reply mentions the topic. */
  liked: boolean;
}

function pick(rng: () => number): string {
  return WORDS[Math.floor(rng() * WORDS.length)]!;
}

function words(rng: () => number, min: number, max: number): string[] {
  const n = min + Math.floor(rng() * (max - min + 1));
  return Array.from({ length: n }, () => pick(rng));
}

/** One context + reply; the reply mentions the topic with probability `topicShare`. */
export function simulatedReply(rng: () => number, topicShare = 0.5): SimulatedReply {
  const question = words(rng, 4, 8).join(' ') + '?';
  const reply = words(rng, 6, 15);
  const liked = rng() < topicShare;
  if (liked) reply.splice(Math.floor(rng() * (reply.length + 1)), 0, TOPIC);
  return { context: [{ role: 'user', content: question }], reply: reply.join(' ') + '.', liked };
}

/**
 * Share of (liked, disliked) pairs the scores order correctly; ties count half.
 */
export function pairwiseAccuracy(scores: readonly number[], liked: readonly boolean[]): number {
  let correct = 0;
  let pairs = 0;
  scores.forEach((good, i) => {
    if (!liked[i]) return;
    scores.forEach((bad, j) => {
      if (liked[j]) return;
      pairs += 1;
      correct += good > bad ? 1 : good === bad ? 0.5 : 0;
    });
  });
  return pairs ? correct / pairs : 0.5;
}

export interface Featurized extends SimulatedReply {
  features: number[];
}

export async function featurize(encode: EncodeTokens, items: readonly SimulatedReply[]): Promise<Featurized[]> {
  const out: Featurized[] = [];
  for (const item of items) {
    const [features] = await replyFeatures(encode, item.context, [item.reply]);
    out.push({ ...item, features: features! });
  }
  return out;
}

/**
 * Rates `ratings` replies one at a time, as the app does (one train request per rating), and
 * returns the head after each count in `checkpoints`.
 */
export function trainSequentially(
  encoderId: string,
  train: readonly Featurized[],
  checkpoints: readonly number[],
): Map<number, PersonalHeadState> {
  const size = train[0]?.features.length ?? 0;
  let head = emptyHead(encoderId, size);
  const heads = new Map<number, PersonalHeadState>();
  if (checkpoints.includes(0)) heads.set(0, head);
  train.forEach((item, i) => {
    head = trainHead(head, { messageId: `m${i}`, features: item.features, liked: item.liked, weight: 1 });
    if (checkpoints.includes(i + 1)) heads.set(i + 1, head);
  });
  return heads;
}

export function heldOutAccuracy(head: PersonalHeadState, heldOut: readonly Featurized[]): number {
  const scorer = new HeadScorer(head);
  return pairwiseAccuracy(
    heldOut.map((item) => scorer.probability(item.features)),
    heldOut.map((item) => item.liked),
  );
}

/**
 * Best-of-N against a single sample under the simulated judge: each trial samples N candidates
 * (a `topicShare` of them mention the topic) and one independent single sample; the head picks
 * its best candidate. A win scores 1, a tie (both liked or both not) 0.5.
 */
export function bestOfNWinRate(head: PersonalHeadState, trials: readonly Featurized[][]): number {
  const scorer = new HeadScorer(head);
  let total = 0;
  for (const trial of trials) {
    const single = trial[trial.length - 1]!;
    const candidates = trial.slice(0, -1);
    let best = candidates[0]!;
    let bestScore = -Infinity;
    for (const c of candidates) {
      const s = scorer.probability(c.features);
      if (s > bestScore) {
        best = c;
        bestScore = s;
      }
    }
    total += best.liked === single.liked ? 0.5 : best.liked ? 1 : 0;
  }
  return trials.length ? total / trials.length : 0.5;
}
