/**
 * Best-of-N vs one reply (issue 7): total ms of one sampled reply and of N sampled in one batch,
 * same ~128-token prompt, 64 new tokens, temperature 0.7, on onnxruntime-node.
 *
 *   npx tsx bench/worker/best-of-n.ts [--model bench|tiny] [--n 4] [--runs 3] [--tokens 64] [--baseline DIR]
 *
 * --baseline DIR also times the DialogueModel of DIR/workers (e.g. the previous commit's, from
 * `git show`), interleaved with the current one so both see the same machine load.
 */
import { parseArgs } from 'node:util';
import type { DialogueModel } from '../../workers/dialogue/dialogue-model';
import { filler, loadBenchModel, median, sampling, type BenchModelName } from './bench-model';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'bench' },
    n: { type: 'string', default: '4' },
    runs: { type: 'string', default: '3' },
    tokens: { type: 'string', default: '64' },
    baseline: { type: 'string' },
  },
});
const n = Number(args.n);
const runs = Number(args.runs);
const settings = sampling(Number(args.tokens));
const turns = [{ role: 'user' as const, content: filler(110) }];
const versions: Array<[string, DialogueModel]> = [['current', await loadBenchModel(args.model as BenchModelName)]];
if (args.baseline) versions.unshift(['baseline', await loadBenchModel(args.model as BenchModelName, args.baseline)]);

async function once(model: DialogueModel, candidates: number) {
  await model.resetCache();
  const reply = await model.generate({ conversationId: `bon-${Math.random()}`, systemPrompt: 'Be brief.', turns, sampling: settings, candidates });
  return reply.metrics;
}

const times = new Map(versions.map(([name]) => [name, { single: [] as number[], batch: [] as number[], prompt: 0 }]));
for (let i = -1; i < runs; i++) {
  for (const [name, model] of versions) {
    const a = await once(model, 1);
    const b = await once(model, n);
    if (i < 0) continue; // warm-up: session init, first-call allocations
    const t = times.get(name)!;
    t.single.push(a.totalMs);
    t.batch.push(b.totalMs);
    t.prompt = a.promptTokens;
    console.log(`${name} run ${i + 1}: single ${a.totalMs.toFixed(0)} ms (${a.newTokens} tok, ttft ${a.ttftMs.toFixed(0)}), best-of-${n} ${b.totalMs.toFixed(0)} ms (ttft ${b.ttftMs.toFixed(0)})`);
  }
}
for (const [name, t] of times) {
  const s = median(t.single);
  const b = median(t.batch);
  console.log(`${name} ${args.model}: prompt ${t.prompt} tokens, ${settings.maxNewTokens} new; single ${s.toFixed(0)} ms, best-of-${n} ${b.toFixed(0)} ms (medians), ratio ${(b / s).toFixed(2)}`);
}
