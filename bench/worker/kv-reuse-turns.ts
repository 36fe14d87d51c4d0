/**
 * Time to first token over a 10-turn conversation (issue 7), with the KV cache reused between
 * turns and with it reset before every turn, on the real DialogueModel over onnxruntime-node.
 * Both runs see the same prompts: the replies of the reuse run become the assistant turns.
 *
 *   npx tsx bench/worker/kv-reuse-turns.ts [--model bench|tiny] [--turns 10] [--tokens 32] [--baseline DIR]
 *
 * --baseline DIR runs the DialogueModel of DIR/workers instead (e.g. the previous commit's).
 */
import { parseArgs } from 'node:util';
import type { ChatTurn } from '../../workers/shared/protocol';
import { filler, loadBenchModel, sampling, type BenchModelName } from './bench-model';

const { values: args } = parseArgs({
  options: { model: { type: 'string', default: 'bench' }, turns: { type: 'string', default: '10' }, tokens: { type: 'string', default: '32' }, baseline: { type: 'string' } },
});
const turnCount = Number(args.turns);
const settings = sampling(Number(args.tokens));
const model = await loadBenchModel(args.model as BenchModelName, args.baseline);
const systemPrompt = 'You are a helpful assistant. Answer briefly.';
const questions = Array.from({ length: turnCount }, (_, i) => `Question ${i + 1}: ${filler(20, i + 7)}?`);

// Warm-up (session init), then the reuse run.
await model.generate({ conversationId: 'warm', systemPrompt, turns: [{ role: 'user', content: 'hi' }], sampling: settings });
await model.resetCache();

interface Row { ttft: number; prompt: number; prefill: number }
const reuse: Row[] = [];
const replies: string[] = [];
let history: ChatTurn[] = [];
for (const question of questions) {
  history = [...history, { role: 'user', content: question }];
  const reply = await model.generate({ conversationId: 'bench', systemPrompt, turns: history, sampling: settings });
  reuse.push({ ttft: reply.metrics.ttftMs, prompt: reply.metrics.promptTokens, prefill: reply.metrics.prefillTokens });
  replies.push(reply.text);
  history = [...history, { role: 'assistant', content: reply.text }];
}

const reset: Row[] = [];
history = [];
for (const [i, question] of questions.entries()) {
  history = [...history, { role: 'user', content: question }];
  await model.resetCache();
  const reply = await model.generate({ conversationId: 'bench', systemPrompt, turns: history, sampling: settings });
  reset.push({ ttft: reply.metrics.ttftMs, prompt: reply.metrics.promptTokens, prefill: reply.metrics.prefillTokens });
  history = [...history, { role: 'assistant', content: replies[i]! }];
}

console.log('turn  prompt  | reuse: prefill  ttft ms | reset: prefill  ttft ms');
for (let i = 0; i < turnCount; i++) {
  const a = reuse[i]!;
  const b = reset[i]!;
  console.log(
    `${String(i + 1).padStart(4)}  ${String(a.prompt).padStart(6)}  |        ${String(a.prefill).padStart(7)}  ${a.ttft.toFixed(0).padStart(7)} |        ${String(b.prefill).padStart(7)}  ${b.ttft.toFixed(0).padStart(7)}`,
  );
}
const ratio = (rows: Row[]) => rows.at(-1)!.ttft / rows[0]!.ttft;
console.log(`${args.baseline ? `baseline ${args.baseline}` : 'current'} ${args.model}: TTFT turn ${turnCount} ÷ turn 1 — with reuse ${ratio(reuse).toFixed(2)}, reset each turn ${ratio(reset).toFixed(2)}`);
