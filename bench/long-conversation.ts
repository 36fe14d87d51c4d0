/**
 * A conversation longer than the context window, through the dialogue worker's own model code
 * (DialogueModel) on onnxruntime-node, to show that trimming no longer costs a full prefill on
 * every turn (issue 14, item 4).
 *
 *   npm run bench:long-conversation
 *   npm run bench:long-conversation -- --turns 40 --window 512 --model demo-chat-tiny --dtype q8 --json out.json
 *
 * Each turn sends a ~12-token question and samples a reply of up to `--reply` tokens. Printed
 * per turn: prompt tokens, prefilled tokens, turns dropped, TTFT. Then the summary the issue asks
 * for: median TTFT of turns 30–40 ÷ turn 1, and the prefilled share of the prompt on the turns
 * after each trim. It prints figures and asserts nothing.
 */
import { writeFileSync } from 'node:fs';
import { DialogueModel } from '../workers/dialogue/dialogue-model';
import { median } from './harness/figures';
import { useLocalModelFolderFor } from './harness/local-models';
import type { ChatTurn, Dtype } from '../workers/shared/protocol';

interface Options {
  turns: number;
  window: number;
  reply: number;
  model: string;
  dtype: Dtype;
  json?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { turns: 40, window: 512, reply: 24, model: 'demo-chat-tiny', dtype: 'q8' };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--turns': options.turns = Number(value); break;
      case '--window': options.window = Number(value); break;
      case '--reply': options.reply = Number(value); break;
      case '--model': options.model = String(value); break;
      case '--dtype': options.dtype = value as Dtype; break;
      case '--json': options.json = value; break;
      default: throw new Error(`usage: long-conversation.ts [--turns N] [--window TOKENS] [--reply TOKENS] [--model ID] [--dtype q8|fp32] [--json FILE] (got ${argv[i]})`);
    }
    i++;
  }
  if (!(options.turns >= 2 && options.window > options.reply)) throw new Error('--turns must be ≥ 2 and --window larger than --reply');
  return options;
}

const options = parseArgs(process.argv.slice(2));

useLocalModelFolderFor(options.model);

const model = await DialogueModel.load({ modelId: options.model, device: 'cpu', dtype: options.dtype, contextWindow: options.window, localOnly: true });
const turns: ChatTurn[] = [];
const rows: Array<{ turn: number; promptTokens: number; prefillTokens: number; droppedTurns: number; ttftMs: number }> = [];
for (let turn = 1; turn <= options.turns; turn++) {
  turns.push({ role: 'user', content: `Question ${turn}: what else should I know about rivers, hills and the sea?` });
  const reply = await model.generate({
    conversationId: 'long',
    systemPrompt: 'You are a helpful, friendly assistant.',
    turns,
    sampling: { temperature: 0.8, topP: 0.95, topK: 50, maxNewTokens: options.reply, repetitionPenalty: 1.1 },
  });
  const { promptTokens, prefillTokens, droppedTurns, ttftMs } = reply.metrics;
  rows.push({ turn, promptTokens, prefillTokens, droppedTurns, ttftMs });
  turns.push({ role: 'assistant', content: reply.text.trim() });
}

const trimTurns = rows.filter((row, i) => i > 0 && row.droppedTurns !== rows[i - 1]!.droppedTurns).map((row) => row.turn);
const firstTrim = trimTurns[0];
const afterTrims = rows.filter((row) => firstTrim !== undefined && row.turn > firstTrim && !trimTurns.includes(row.turn));
const late = rows.filter((row) => row.turn >= 30 && row.turn <= 40);
const summary = {
  model: options.model,
  dtype: options.dtype,
  window: options.window,
  turns: options.turns,
  trims: trimTurns.length,
  trimTurns,
  ttftTurn1Ms: rows[0]!.ttftMs,
  ttftTurns30to40MedianMs: late.length > 0 ? median(late.map((row) => row.ttftMs)) : null,
  ttftRatio30to40: late.length > 0 ? median(late.map((row) => row.ttftMs)) / rows[0]!.ttftMs : null,
  prefilledShareAfterTrims: afterTrims.length > 0 ? afterTrims.reduce((s, r) => s + r.prefillTokens, 0) / afterTrims.reduce((s, r) => s + r.promptTokens, 0) : null,
  prefilledShareOnTrimTurns: trimTurns.length > 0 ? median(rows.filter((r) => trimTurns.includes(r.turn)).map((r) => r.prefillTokens / r.promptTokens)) : null,
};

console.log(`Long conversation: ${options.model} ${options.dtype} on onnxruntime-node, window ${options.window}, ${options.turns} turns\n`);
console.log('| turn | prompt | prefilled | dropped turns | TTFT ms |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.turn} | ${row.promptTokens} | ${row.prefillTokens} | ${row.droppedTurns} | ${row.ttftMs.toFixed(0)} |`);
const share = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
console.log(`\n| figure | value |\n| --- | --- |`);
console.log(`| trims (turns) | ${summary.trims} (${trimTurns.join(', ') || 'none'}) |`);
console.log(`| TTFT turn 1 | ${summary.ttftTurn1Ms.toFixed(0)} ms |`);
console.log(`| TTFT turns 30–40, median | ${summary.ttftTurns30to40MedianMs === null ? 'n/a' : `${summary.ttftTurns30to40MedianMs.toFixed(0)} ms`} |`);
console.log(`| TTFT 30–40 ÷ turn 1 | ${summary.ttftRatio30to40 === null ? 'n/a' : summary.ttftRatio30to40.toFixed(2)} |`);
console.log(`| prefilled share of the prompt, turns after a trim | ${share(summary.prefilledShareAfterTrims)} |`);
console.log(`| prefilled share of the prompt, on a trim turn (median) | ${share(summary.prefilledShareOnTrimTurns)} |`);
if (options.json) {
  writeFileSync(options.json, `${JSON.stringify({ summary, rows }, null, 2)}\n`);
  console.log(`\nwrote ${options.json}`);
}
