/**
 * Streaming cost per token (issue 7): transformers.js TextStreamer vs our TextDeltaStreamer on
 * a 500-token reply, with the bench model's tokenizer. TextStreamer re-decodes the whole reply
 * on every put; ours decodes a few recent ids. Prints mean ms per put over the whole reply and
 * over its last 50 tokens, and how many text callbacks each made.
 *
 *   npx tsx bench/worker/streamer.ts [--tokens 500] [--runs 5]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AutoTokenizer, env, TextStreamer } from '@huggingface/transformers';
import { TextDeltaStreamer } from '../../workers/dialogue/text-delta-streamer';
import { BENCH_MODELS, filler, median } from './bench-model';

const { values: args } = parseArgs({ options: { tokens: { type: 'string', default: '500' }, runs: { type: 'string', default: '5' } } });
const length = Number(args.tokens);
const runs = Number(args.runs);

env.allowRemoteModels = false;
env.localModelPath = `${path.resolve(BENCH_MODELS.bench.dir)}/`;
const tokenizer = await AutoTokenizer.from_pretrained(BENCH_MODELS.bench.id, { local_files_only: true });

// A reply-like paragraph (TextStreamer re-decodes everything since the last line break, so a
// long paragraph is its worst case): words, punctuation and a few emoji.
let text = '';
for (let i = 0; text.length < length * 8; i++) text += `${filler(12, i + 1)}${i % 3 ? '. ' : ' 🙂 '}`;
const ids = tokenizer.encode(text, { add_special_tokens: false }).slice(0, length);

interface Streamer { put(value: bigint[][]): void; end(): void }

function time(make: (onText: (t: string) => void) => Streamer) {
  let callbacks = 0;
  let out = '';
  const streamer = make((t) => {
    if (t) callbacks += 1;
    out += t;
  });
  streamer.put([ids.slice(0, 8).map(BigInt)]); // the prompt
  const perPut: number[] = [];
  for (const id of ids) {
    const t0 = performance.now();
    streamer.put([[BigInt(id)]]);
    perPut.push(performance.now() - t0);
  }
  streamer.end();
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { all: mean(perPut), last50: mean(perPut.slice(-50)), callbacks, out };
}

const old = (onText: (t: string) => void) => new TextStreamer(tokenizer, { skip_prompt: true, skip_special_tokens: true, callback_function: onText });
const ours = (onText: (t: string) => void) => new TextDeltaStreamer(tokenizer, onText);

const results = { old: [] as ReturnType<typeof time>[], ours: [] as ReturnType<typeof time>[] };
for (let r = 0; r < runs + 1; r++) {
  const a = time(old);
  const b = time(ours);
  if (r === 0) continue; // warm-up
  results.old.push(a);
  results.ours.push(b);
}
const expected = tokenizer.decode(ids, { skip_special_tokens: true });
for (const [name, rs] of Object.entries(results)) {
  console.log(
    `${name.padEnd(4)}: ${median(rs.map((r) => r.all)).toFixed(3)} ms/put over ${ids.length} tokens, ` +
      `${median(rs.map((r) => r.last50)).toFixed(3)} ms/put over the last 50, ${rs[0]!.callbacks} text callbacks, ` +
      `text ${rs[0]!.out === expected ? 'equals' : 'DIFFERS from'} the decoded reply`,
  );
}
