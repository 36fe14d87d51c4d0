/**
 * Shows that the personal reward head learns (DESIGN §5), with the encoder the app ships for
 * offline use (`demo-encoder-tiny`, built by `npm run models`: random weights) on onnxruntime-node
 * CPU, through the same feature and head code the reward worker runs.
 *
 *   npm run eval:reward                 5 seeds
 *   npm run eval:reward -- --seeds 10
 *   npm run eval:reward -- --dtype fp32  (default q8, what the worker uses on WASM)
 *
 * A simulated user likes replies that mention 'music' (see bench/simulated-user.ts).
 * For each seed: 100 rated replies (half mention the topic), trained one rating at a time as the
 * app does, and 200 held-out replies. Reported:
 *   - held-out pairwise accuracy after K = 10, 25, 50, 100 ratings (ties count half);
 *   - best-of-4 win rate: the head picks among 4 sampled candidates (30% mention the topic)
 *     against an independent single sample, judged by the simulated user (ties count half), after
 *     K = 0 (untrained), 25, 50, 100 ratings. 400 trials per seed.
 * Mean ± sample sd over seeds. It prints figures and asserts nothing.
 */
import { env } from '@huggingface/transformers';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dtype } from '../workers/shared/protocol';
import { DEMO_ENCODER } from '../src/reward/reward-catalog';
import { SentenceEncoder } from '../workers/reward/reward-models';
import {
  bestOfNWinRate,
  featurize,
  heldOutAccuracy,
  seededRandom,
  simulatedReply,
  trainSequentially,
} from './simulated-user';

const ACCURACY_KS = [10, 25, 50, 100];
const WIN_KS = [0, 25, 50, 100];
const TRAIN = 100;
const HELD_OUT = 200;
const TRIALS = 400;
const N = 4;
const CANDIDATE_TOPIC_SHARE = 0.3;

function parseArgs(argv: string[]): { seeds: number; dtype: Dtype } {
  let seeds = 5;
  let dtype: Dtype = 'q8';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seeds') seeds = Number(argv[++i]);
    else if (argv[i] === '--dtype') dtype = argv[++i] as Dtype;
    else throw new Error(`usage: reward-eval.ts [--seeds N] [--dtype q8|fp32] (got ${argv[i]})`);
  }
  if (!Number.isInteger(seeds) || seeds < 1) throw new Error('--seeds must be a positive integer');
  return { seeds, dtype };
}

function meanSd(values: number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}

async function main(): Promise<void> {
  const { seeds, dtype } = parseArgs(process.argv.slice(2));
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.join(root, 'public/models') + '/';
  const encoder = await SentenceEncoder.load(DEMO_ENCODER, { device: 'cpu', dtype, localOnly: true });
  const encode = (text: string) => encoder.encode(text);

  const accuracy = new Map<number, number[]>(ACCURACY_KS.map((k) => [k, []]));
  const winRate = new Map<number, number[]>(WIN_KS.map((k) => [k, []]));
  const started = performance.now();
  for (let seed = 1; seed <= seeds; seed++) {
    const rng = seededRandom(1000 + seed);
    const train = await featurize(encode, Array.from({ length: TRAIN }, () => simulatedReply(rng)));
    const heldOut = await featurize(encode, Array.from({ length: HELD_OUT }, () => simulatedReply(rng)));
    const trials = [];
    for (let t = 0; t < TRIALS; t++) {
      trials.push(await featurize(encode, Array.from({ length: N + 1 }, () => simulatedReply(rng, CANDIDATE_TOPIC_SHARE))));
    }
    const heads = trainSequentially(DEMO_ENCODER.id, train, [...new Set([...ACCURACY_KS, ...WIN_KS])]);
    for (const k of ACCURACY_KS) accuracy.get(k)!.push(heldOutAccuracy(heads.get(k)!, heldOut));
    for (const k of WIN_KS) winRate.get(k)!.push(bestOfNWinRate(heads.get(k)!, trials));
    process.stderr.write(`seed ${seed}/${seeds} done\n`);
  }
  await encoder.dispose();

  console.log(`Personal reward head: simulated user who likes replies mentioning 'music'`);
  console.log(`encoder ${DEMO_ENCODER.id} (${dtype}, onnxruntime-node CPU), ${seeds} seeds, mean ± sd`);
  console.log(`machine: ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}`);
  console.log('');
  console.log('ratings K  held-out pairwise accuracy  best-of-4 win rate vs 1 sample');
  console.log('---------  --------------------------  ------------------------------');
  for (const k of [...new Set([...WIN_KS, ...ACCURACY_KS])].sort((a, b) => a - b)) {
    const acc = accuracy.get(k);
    const win = winRate.get(k);
    console.log(`${String(k).padStart(9)}  ${(acc ? meanSd(acc) : '—').padStart(26)}  ${(win ? meanSd(win) : '—').padStart(30)}`);
  }
  console.log('');
  const best = 1 - (1 - CANDIDATE_TOPIC_SHARE) ** N;
  const ceiling = best * (1 - CANDIDATE_TOPIC_SHARE) + 0.5 * (best * CANDIDATE_TOPIC_SHARE + (1 - best) * (1 - CANDIDATE_TOPIC_SHARE));
  console.log(`A perfect head's best-of-${N} win rate here is ${ceiling.toFixed(3)}; a random pick's is 0.500.`);
  console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
