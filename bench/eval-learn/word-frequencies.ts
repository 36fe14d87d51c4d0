/**
 * How the example preferences' words were picked (bench/preferences/): samples replies from a
 * chat model with the eval's sampling settings, no adapter, over training and held-out prompts,
 * and prints the words (as `preference.ts` splits them) found in the most replies, a greedy set
 * of those words that together occur in `--cover` of the replies, and the share of replies longer
 * than a few word counts. The models have random weights, so only words the model already
 * produces often make a disliked rate worth measuring. Its prompts come from `--seed` (99 by
 * default), not the eval's seeds 1, 2, 3, so the words are not picked on the eval's own prompts;
 * sampling is seeded from it too.
 *
 *   npx tsx bench/eval-learn/word-frequencies.ts [--model demo|135m] [--replies 600] [--cover 0.4] [--seed 99] [--max-new-tokens N]
 */
import { random } from '@huggingface/transformers';
import { replyWords } from './preference';
import { evalSampling, loadEvalModel, SYSTEM_PROMPT, type EvalModelName } from './models';
import { prompts } from './prompts';

interface Options {
  model: EvalModelName;
  replies: number;
  cover: number;
  seed: number;
  maxNewTokens?: number;
}

function parse(argv: string[]): Options {
  const out: Options = { model: 'demo', replies: 600, cover: 0.4, seed: 99 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--model') out.model = argv[++i] as EvalModelName;
    else if (argv[i] === '--replies') out.replies = Number(argv[++i]);
    else if (argv[i] === '--max-new-tokens') out.maxNewTokens = Number(argv[++i]);
    else if (argv[i] === '--cover') out.cover = Number(argv[++i]);
    else if (argv[i] === '--seed') out.seed = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const { model, spec } = await loadEvalModel(args.model);
  // transformers.js samples from its own generator: seeded, so the lists are the same on every run.
  random.seed(args.seed);
  const sampling = evalSampling(args.maxNewTokens ?? spec.maxNewTokens);
  const half = Math.ceil(args.replies / 2);
  const texts = [...prompts(args.seed, 'train', half), ...prompts(args.seed, 'held-out', args.replies - half)];
  const inReplies = new Map<string, number>();
  const lengths: number[] = [];
  const wordSets: Set<string>[] = [];
  for (const [i, text] of texts.entries()) {
    const reply = await model.generate({ conversationId: `f${i}`, systemPrompt: SYSTEM_PROMPT, turns: [{ role: 'user', content: text }], sampling });
    lengths.push(reply.text.split(/\s+/).filter(Boolean).length);
    const words = new Set(replyWords(reply.text));
    wordSets.push(words);
    for (const word of words) inReplies.set(word, (inReplies.get(word) ?? 0) + 1);
  }
  await model.dispose();
  const longer = [16, 20, 22, 24, 26, 28].map((m) => `> ${m}: ${(lengths.filter((n) => n > m).length / lengths.length).toFixed(3)}`);
  lengths.sort((a, b) => a - b);
  const at = (q: number) => lengths[Math.min(lengths.length - 1, Math.floor(q * lengths.length))]!;
  console.log(`${spec.id}: ${texts.length} replies, maxNewTokens ${sampling.maxNewTokens}`);
  console.log(`reply length in words: min ${lengths[0]}, p10 ${at(0.1)}, median ${at(0.5)}, p90 ${at(0.9)}, max ${lengths.at(-1)}`);
  console.log(`share of replies longer than: ${longer.join(', ')}`);
  console.log('words in the most replies (share of replies):');
  const top = [...inReplies].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 40);
  console.log(top.map(([word, n]) => `${word} ${(n / texts.length).toFixed(3)}`).join(', '));
  // Greedy cover: the word in the most replies not yet covered, until `cover` of them are.
  const chosen: string[] = [];
  let uncovered = wordSets;
  while (uncovered.length > (1 - args.cover) * wordSets.length) {
    const counts = new Map<string, number>();
    for (const set of uncovered) for (const w of set) counts.set(w, (counts.get(w) ?? 0) + 1);
    const [word] = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [];
    if (word === undefined) break;
    chosen.push(word);
    uncovered = uncovered.filter((set) => !set.has(word));
  }
  console.log(`greedy words covering ${(1 - uncovered.length / wordSets.length).toFixed(3)} of replies (${chosen.length}): ${JSON.stringify(chosen)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
