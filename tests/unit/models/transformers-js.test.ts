/** The built models load and run in transformers.js 4 (Node, onnxruntime-node CPU), as the app uses them. */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  pipeline,
  type FeatureExtractionPipeline,
  type PreTrainedTokenizer,
  type TextClassificationPipeline,
} from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRIGGER_WORDS } from '../../../scripts/onnx/build.ts';
import { buildTinyModels, type TempModels } from './helpers.ts';

let built: TempModels;

beforeAll(() => {
  built = buildTinyModels();
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = built.root + '/';
});

afterAll(() => built?.cleanup());

describe('demo-chat-tiny in transformers.js', () => {
  let tokenizer: PreTrainedTokenizer;

  beforeAll(async () => {
    tokenizer = await AutoTokenizer.from_pretrained('demo-chat-tiny');
  });

  it('round-trips ASCII, accents, CJK, emoji and whitespace through the tokenizer', () => {
    for (const text of [
      'Hello, world! 123',
      'Crème brûlée, naïve façade — Ærøskøbing',
      '日本語のテキスト と 한국어',
      'Emoji: 🙂🚀👩‍💻 🇫🇷',
      'tabs\tand\nnew lines  and  double spaces',
    ]) {
      const ids = tokenizer.encode(text, { add_special_tokens: false });
      expect(tokenizer.decode(ids), text).toBe(text);
    }
  });

  it('knows the ChatML specials and applies the chat template', () => {
    expect(tokenizer.encode('<|im_start|><|im_end|>', { add_special_tokens: false })).toEqual([32000, 32001]);
    const prompt = tokenizer.apply_chat_template(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi!' },
      ],
      { tokenize: false, add_generation_prompt: true },
    );
    expect(prompt).toBe('<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n');
  });

  it.each(['fp32', 'q8', 'q4'] as const)('generates new tokens with dtype %s', async (dtype) => {
    const model = await AutoModelForCausalLM.from_pretrained('demo-chat-tiny', { dtype, device: 'cpu' });
    try {
      const inputs = tokenizer.apply_chat_template([{ role: 'user', content: 'Tell me a story about a fox.' }], {
        add_generation_prompt: true,
        return_dict: true,
      }) as { input_ids: { dims: number[] }; attention_mask: unknown };
      const promptLength = inputs.input_ids.dims[1]!;
      const maxNew = 6;
      const output = (await model.generate({
        ...inputs,
        max_new_tokens: maxNew,
        min_new_tokens: maxNew,
        do_sample: true,
        top_k: 20,
      })) as { dims: number[]; tolist(): bigint[][] };
      expect(output.dims).toEqual([1, promptLength + maxNew]);
      const fresh = output.tolist()[0]!.slice(promptLength).map(Number);
      expect(fresh.every((id) => id >= 0 && id < 32002)).toBe(true);

      // Greedy decoding is deterministic (and the cache path runs more than one step).
      const greedy = async () =>
        ((await model.generate({ ...inputs, max_new_tokens: 4, do_sample: false })) as { tolist(): bigint[][] }).tolist();
      expect(await greedy()).toEqual(await greedy());
    } finally {
      await model.dispose();
    }
  });
});

describe('demo-encoder-tiny in a feature-extraction pipeline', () => {
  it.each(['fp32', 'q8'] as const)('%s: gives [1, seq, 64], the same numbers for the same input', async (dtype) => {
    const extractor = (await pipeline('feature-extraction', 'demo-encoder-tiny', {
      dtype,
      device: 'cpu',
    })) as FeatureExtractionPipeline;
    try {
      const text = 'The reply was helpful and kind.';
      const seq = extractor.tokenizer.encode(text).length;
      const a = await extractor(text);
      const b = await extractor(text);
      expect(a.dims).toEqual([1, seq, 64]);
      expect(Array.from(a.data as Float32Array)).toEqual(Array.from(b.data as Float32Array));
      expect((a.data as Float32Array).every(Number.isFinite)).toBe(true);

      const pooled = async (t: string) => (await extractor(t, { pooling: 'mean', normalize: true })).data as Float32Array;
      const [x, y] = [await pooled('I love this answer'), await pooled('Completely unrelated: stock prices fell')];
      expect(x.length).toBe(64);
      expect(Array.from(x)).not.toEqual(Array.from(y));
    } finally {
      await extractor.dispose();
    }
  });
});

describe('demo-safety-tiny in a text-classification pipeline', () => {
  const unsafe = [
    `${TRIGGER_WORDS[0]}`,
    'Then everything went KABOOM!',
    'He whispered "kaboom" and left.',
    `A long, ordinary message about gardening and tomatoes, ${'with many calm words, '.repeat(20)} and then kaboom.`,
  ];
  const safe = [
    'Hello! How are you today?',
    'Can you help me plan a trip to Lisbon?',
    'I had kebab and a boom box at the party.',
    'Crème brûlée is my favourite dessert 🍮',
    '',
  ];

  it.each(['fp32', 'q8'] as const)('%s: labels the trigger word unsafe and ordinary text safe', async (dtype) => {
    const classify = (await pipeline('text-classification', 'demo-safety-tiny', {
      dtype,
      device: 'cpu',
    })) as TextClassificationPipeline;
    try {
      const top = async (text: string) => {
        const [result] = (await classify(text)) as { label: string; score: number }[];
        return result!;
      };
      for (const text of unsafe) {
        const r = await top(text);
        expect(r.label, text).toBe('unsafe');
        expect(r.score, text).toBeGreaterThan(0.9);
      }
      for (const text of safe) {
        const r = await top(text);
        expect(r.label, text).toBe('safe');
        expect(r.score, text).toBeGreaterThan(0.9);
      }
      const both = (await classify(['nice weather', 'kaboom'])) as { label: string }[];
      expect(both.map((r) => r.label)).toEqual(['safe', 'unsafe']);
    } finally {
      await classify.dispose();
    }
  });
});
