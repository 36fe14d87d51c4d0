/**
 * What the personal generation adapter (issue 18) costs the user, on onnxruntime-node CPU with the
 * same dialogue code the worker runs. It prints figures and asserts nothing.
 *
 *   npx tsx bench/learning-cost.ts                 demo model and the 135M shape
 *   npx tsx bench/learning-cost.ts --model demo --json out.json
 *
 * Three things decide whether learning ever gets in the way of a reply:
 * 1. Decode speed with an adapter applied vs none (the logits processor runs at every step: the
 *    bias over the vocabulary and, for Look inside, two log-sum-exps of row 0);
 * 2. the forward pass over a rated reply (the dialogue worker runs it between replies: a reply
 *    sent meanwhile waits for at most one of these);
 * 3. a training run on 10, 50 and 100 rated replies (in the learning worker: it never holds a
 *    reply, but it is how soon a rating shows in the replies).
 * Runs alternate with and without the adapter, medians of 3.
 */
import { writeFileSync } from 'node:fs';
import { DialogueModel } from '../workers/dialogue/dialogue-model';
import { trainOn } from '../workers/learning/adapter-trainer';
import { CONTEXT_FEATURE_DIM } from '../workers/learning/context-features';
import { ratingWeight } from '../workers/learning/cringe-loss';
import { createAdapter } from '../workers/learning/logit-adapter';
import type { RatedReply } from '../workers/shared/learning-protocol';
import type { SamplingSettings } from '../workers/shared/protocol';
import { useLocalModelFolderFor } from './harness/local-models';

const MODELS = { demo: 'demo-chat-tiny', '135m': 'bench-chat-smollm2-135m-shape' } as const;
type ModelKey = keyof typeof MODELS;
const SAMPLING: SamplingSettings = { temperature: 0.8, topP: 0.95, topK: 50, maxNewTokens: 64, repetitionPenalty: 1.1 };
const REPEATS = 3;

function parseArgs(argv: string[]): { models: ModelKey[]; json: string | null } {
  let models: ModelKey[] = ['demo', '135m'];
  let json: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--model') models = argv[++i]!.split(',') as ModelKey[];
    else if (argv[i] === '--json') json = argv[++i]!;
    else throw new Error(`usage: learning-cost.ts [--model demo,135m] [--json FILE] (got ${argv[i]})`);
  }
  for (const m of models) if (!(m in MODELS)) throw new Error(`--model must be demo or 135m, got ${m}`);
  return { models, json };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Row {
  model: string;
  decodeTokPerSecPlain: number;
  decodeTokPerSecAdapted: number;
  ratedForwardMs: number;
  train10Ms: number;
  train50Ms: number;
  train100Ms: number;
}

async function measure(key: ModelKey): Promise<Row> {
  const modelId = MODELS[key];
  useLocalModelFolderFor(modelId);
  const model = await DialogueModel.load({ modelId, device: 'cpu', dtype: 'q8', contextWindow: 2048, localOnly: true });
  let calls = 0;
  const turns = (i: number) => [{ role: 'user' as const, content: `Tell me something about the number ${i} and the sea.` }];
  const decode = async () => {
    const r = await model.generate({ conversationId: `c${++calls}`, systemPrompt: 'Be brief.', turns: turns(calls), sampling: { ...SAMPLING, maxNewTokens: 64 } });
    return { rate: r.metrics.decodeTokensPerSecond, tokens: r.metrics.newTokens, text: r.text };
  };

  // Rated replies to train on: the model's own, half of them disliked.
  const examples: RatedReply[] = [];
  const forwardMs: number[] = [];
  for (let i = 0; i < 100; i++) {
    const { text } = await decode();
    const positive = i % 2 === 0;
    const started = performance.now();
    // No stop token learned: an adapter that ends replies early would make decode look faster or
    // leave nothing to time. This measures the cost per step.
    const { logits, features } = await model.ratedReplyLogits({ systemPrompt: 'Be brief.', turns: turns(i), reply: text || 'ok', includeStop: false });
    forwardMs.push(performance.now() - started);
    examples.push({ id: `m${i}`, positive, weight: ratingWeight(positive, positive ? [] : ['boring']), features, logits });
  }
  const fresh = createAdapter(modelId, model.vocabSize, CONTEXT_FEATURE_DIM);
  const trainMs = (n: number) => median(Array.from({ length: REPEATS }, () => trainOn(fresh, examples.slice(0, n)).ms));
  const train10Ms = trainMs(10);
  const train50Ms = trainMs(50);
  const train100Ms = trainMs(100);
  const adapter = trainOn(fresh, examples).state;

  const plain: number[] = [];
  const adapted: number[] = [];
  const adaptedTokens: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    model.setAdapter(null);
    plain.push((await decode()).rate);
    model.setAdapter(adapter);
    const run = await decode();
    adapted.push(run.rate);
    adaptedTokens.push(run.tokens);
  }
  console.log(`${modelId}: replies with the adapter had ${adaptedTokens.join(', ')} tokens`);
  model.setAdapter(null);
  await model.dispose();
  return {
    model: modelId,
    decodeTokPerSecPlain: median(plain),
    decodeTokPerSecAdapted: median(adapted),
    ratedForwardMs: median(forwardMs),
    train10Ms,
    train50Ms,
    train100Ms,
  };
}

const { models, json } = parseArgs(process.argv.slice(2));
const rows: Row[] = [];
for (const key of models) rows.push(await measure(key));
console.log('\nPersonal generation adapter: cost (onnxruntime-node CPU, q8, medians)');
console.log('| model | decode tok/s, no adapter | with adapter | change | forward pass over a rated reply | train on 10 / 50 / 100 ratings |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const change = ((r.decodeTokPerSecAdapted / r.decodeTokPerSecPlain - 1) * 100).toFixed(1);
  console.log(
    `| ${r.model} | ${r.decodeTokPerSecPlain.toFixed(1)} | ${r.decodeTokPerSecAdapted.toFixed(1)} | ${change}% | ${r.ratedForwardMs.toFixed(0)} ms | ${r.train10Ms.toFixed(0)} / ${r.train50Ms.toFixed(0)} / ${r.train100Ms.toFixed(0)} ms |`,
  );
}
if (json) writeFileSync(json, `${JSON.stringify({ rows }, null, 2)}\n`);
