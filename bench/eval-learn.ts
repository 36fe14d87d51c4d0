/**
 * Shows whether the personal generation adapter (issue 18: a context-conditioned low-rank bias on
 * the chat model's logits, trained on the device with the Cringe loss) learns a user's stated
 * preference from thumbs up/down, through the code the app runs: DialogueModel on
 * onnxruntime-node CPU (q8), `ratedReplyLogits`, `trainOn` (defaults), the adapter as a logits
 * processor, and the personal reward head (demo encoder, q8) for best-of-4.
 *
 *   npm run eval:learn                                   demo model, no-common-words.json, 3 seeds
 *   npm run eval:learn -- --preference all               every file in bench/preferences/
 *   npm run eval:learn -- --preference my.json,b.json --seeds 5 --ks 0,10,50
 *   npm run eval:learn -- --model 135m --preference bench/preferences/no-provider.json --train-every 5
 *   npm run eval:learn -- --json out.json --verbose      (per-K losses, biases and example replies)
 * Investigation only (not what the app does): --lr/--l2/--epochs/--eps/--no-balance (trainOn options),
 * --no-positive-stop, --stop-in-rows, --rows-k N, and the control --placebo SHARE_DOWN (random
 * thumbs) (see bench/eval-learn/learner.ts).
 *
 * The simulated user (bench/eval-learn/preference.ts) reads {"dislikeWords": [...], "likeWords":
 * [...], "maxWords": 40} (all optional): thumbs-down for a disliked word (whole word, any case,
 * bench/eval-learn/words.ts), more than maxWords words, or an empty reply; thumbs-up for a liked
 * word; anything else a thumbs-up when there are no liked words, else no rating. Per seed it
 * rates replies one at a time, each sampled with the adapter as trained so far for a training
 * prompt, and the adapter retrains from fresh on all the ratings after each one
 * (`--train-every N`: every N, and always at a checkpoint). K counts ratings given.
 *
 * The example preferences (bench/preferences/) name words the random-weight models actually say:
 * bench/eval-learn/word-frequencies.ts samples unadapted replies (seeded) to prompts of another
 * seed (99) and ranks words by the share of replies they occur in. No word is in more than 3.4% of
 * the demo model's replies, so no-common-words.json is the greedy set of 20 words covering 40% of
 * them; mixed-words.json dislikes its first 10 and likes 8 other frequent words;
 * short-replies.json cuts at the median length (24 words); no-provider.json is for the 135m
 * model, whose replies are peakier ('provider' is in 39% of them, '发' in 57%).
 *
 * At each K (default 0, 10, 25, 50, 100), on held-out prompts (seeded; topics disjoint from the
 * training prompts'; 60 per checkpoint on demo, 24 on 135m, `--prompts`):
 *   - dislikedRate: share of single replies (model + adapter) the user dislikes;
 *   - dislikedRateBestOf4: the same when 4 candidates are sampled with the adapter and the
 *     personal reward head, trained on the same ratings, picks one;
 *   - likedLogProbChange: relative change, against K = 0, of the mean per-token log-probability
 *     model + adapter give a fixed set of liked held-out replies (bench/eval-learn/reference.ts),
 *     computed exactly from the frozen model's full logits plus the adapter's bias
 *     (full-logits.ts); -0.03 means 3% lower (worse). The estimate from the sparse rows the
 *     trainer sees (rest of the vocabulary held at its frozen logits, log-prob.ts) is printed
 *     beside it as "sparse estimate": it cannot see what the bias does to the tail.
 * Mean ± sample sd over seeds, with diagnostics (ratings +/−, adapter steps, the adapter's mean
 * bias on the disliked words' first tokens and on the end-of-turn token over held-out contexts,
 * words per reply, distinct tokens / tokens per reply: a collapse into repeating a few tokens or
 * ending at once shows there, not in the disliked rate) and time per phase. Sampling: the app's defaults (temperature 0.8, top-k 50,
 * top-p 0.95, repetition penalty 1.1) but 48 new tokens on demo, 32 on 135m (`--max-new-tokens`),
 * not 256 (transformers.js 4.3 ignores top-p: its generate builds no top-p warper). Its sampling
 * generator is seeded from each seed, so a run repeats. Both models have random weights;
 * bench/results/eval-learn.md says what that can and cannot show. It prints figures and asserts
 * nothing.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { env } from '@huggingface/transformers';
import { DEMO_ENCODER } from '../src/reward/reward-catalog';
import { LEARN_TOP_K } from '../workers/learning/rated-reply-logits';
import { TRAIN_DEFAULTS } from '../workers/learning/adapter-trainer';
import { featureSize } from '../workers/reward/features';
import { SentenceEncoder } from '../workers/reward/reward-models';
import { parseArgs } from './eval-learn/args';
import { FullLogits } from './eval-learn/full-logits';
import { EVAL_MODELS, evalSampling, loadEvalModel, SYSTEM_PROMPT } from './eval-learn/models';
import { describePreference, loadPreference } from './eval-learn/preference';
import { jsonReport, printTable, type RunResult } from './eval-learn/report';
import { runSeed, type SeedResult } from './eval-learn/run-seed';
import { PhaseTimer } from './eval-learn/stats';

const log = (line: string) => console.log(line);
const progress = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const started = performance.now();
  const args = parseArgs(process.argv.slice(2));
  const preferences = args.preferences.map(loadPreference);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${path.resolve('public/models')}/`;
  const encoder = await SentenceEncoder.load(DEMO_ENCODER, { device: 'cpu', dtype: 'q8', localOnly: true });
  const encode = (text: string) => encoder.encode(text);
  const train = { ...TRAIN_DEFAULTS, ...args.train };

  log(`Personal generation adapter: does it learn a simulated user's stated preference?`);
  log(`machine: ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}`);
  log(`${args.seeds} seeds, K = ${args.ks.join(', ')}, adapter retrained every ${args.trainEvery} rating(s) (and at each K), mean ± sd over seeds`);
  log(`trainOn: epochs ${train.epochs}, learningRate ${train.learningRate}, l2 ${train.l2}, patience ${train.patience}; reward head: ${DEMO_ENCODER.id} (q8)`);
  const experiments = [
    args.stopInRows ? 'end-of-turn token kept in every sparse row' : '',
    args.positiveStop ? '' : 'positives learned without the end-of-turn token',
    args.rowsK !== null ? `top ${args.rowsK} logits kept per row (the app keeps ${LEARN_TOP_K})` : '',
    args.placeboDown !== null ? `PLACEBO: random thumbs (${args.placeboDown} down), the preference only judges held-out replies` : '',
  ].filter(Boolean);
  if (experiments.length) log(`EXPERIMENT (not what the app does): ${experiments.join('; ')}`);
  log('');

  const runs: RunResult[] = [];
  for (const name of args.models) {
    const loadStarted = performance.now();
    const { model, spec } = await loadEvalModel(name);
    const full = await FullLogits.load(spec.id);
    const sampling = evalSampling(args.maxNewTokens ?? spec.maxNewTokens);
    const heldOutPrompts = args.prompts ?? spec.heldOutPrompts;
    log(`## ${spec.id} (vocab ${model.vocabSize}, q8), loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
    log(`sampling: temperature ${sampling.temperature}, top-k ${sampling.topK}, top-p ${sampling.topP}, repetition penalty ${sampling.repetitionPenalty}, ${sampling.maxNewTokens} new tokens; ${heldOutPrompts} held-out prompts per checkpoint`);
    for (const preference of preferences) {
      const runStarted = performance.now();
      const timer = new PhaseTimer();
      const seeds: SeedResult[] = [];
      log('');
      log(`### ${spec.name} × ${describePreference(preference)}`);
      for (let seed = 1; seed <= args.seeds; seed++) {
        seeds.push(
          await runSeed({
            model,
            modelId: spec.id,
            encode,
            encoderId: DEMO_ENCODER.id,
            featureSize: featureSize(encoder.hidden),
            preference,
            systemPrompt: SYSTEM_PROMPT,
            sampling,
            seed,
            ks: args.ks,
            trainEvery: args.trainEvery,
            heldOutPrompts,
            train: args.train,
            timer,
            contextFeatures: (text) => full.features(text),
            dislikedTokens: preference.dislikeWords.map((w) => full.wordToken(w)).filter((t) => t !== null),
            stopToken: full.stopId,
            full,
            positiveStop: args.positiveStop,
            stopInRows: args.stopInRows,
            rowsK: args.rowsK,
            placeboDown: args.placeboDown,
            log: args.verbose ? log : progress,
          }),
        );
        progress(`${spec.name} × ${preference.name}: seed ${seed}/${args.seeds} done, ${((performance.now() - runStarted) / 1000).toFixed(0)} s`);
      }
      const run: RunResult = { model: spec.name, modelId: spec.id, preference: preference.name, seeds, ms: performance.now() - runStarted };
      runs.push(run);
      printTable(run, log);
      log(`time: ${(run.ms / 1000).toFixed(1)} s (${timer.summary()})`);
    }
    await model.dispose();
    await full.dispose();
    log('');
  }
  await encoder.dispose();
  const total = (performance.now() - started) / 1000;
  log(`total: ${total.toFixed(1)} s`);
  if (args.json) {
    const settings = {
      seeds: args.seeds,
      ks: args.ks,
      trainEvery: args.trainEvery,
      train,
      stopInRows: args.stopInRows,
      positiveStop: args.positiveStop,
      rowsK: args.rowsK,
      placeboDown: args.placeboDown,
      models: args.models.map((m) => ({ ...EVAL_MODELS[m], maxNewTokens: args.maxNewTokens ?? EVAL_MODELS[m].maxNewTokens, heldOutPrompts: args.prompts ?? EVAL_MODELS[m].heldOutPrompts })),
      preferences: preferences,
      totalSeconds: Math.round(total * 10) / 10,
    };
    writeFileSync(args.json, `${JSON.stringify(jsonReport(runs, settings), null, 2)}\n`);
    log(`wrote ${args.json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
