import path from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { TextDeltaStreamer } from '../../workers/dialogue/text-delta-streamer';

// The real tokenizer of the built demo model (`npm run models`): Llama-style BPE with byte
// fallback, a decoder that strips one leading space, and `<|im_start|>`/`<|im_end|>` specials.
env.allowRemoteModels = false;
env.localModelPath = `${path.resolve('public/models')}/`;

let tokenizer: PreTrainedTokenizer;
beforeAll(async () => {
  tokenizer = await AutoTokenizer.from_pretrained('demo-chat-tiny', { local_files_only: true });
});

const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false });
const decode = (ids: number[]) => (ids.length ? tokenizer.decode(ids, { skip_special_tokens: true }) : '');

/** Streams `ids` one per put after a prompt put, as generate does; returns the deltas and what each put emitted. */
function stream(ids: number[]) {
  const deltas: string[] = [];
  const perPut: string[] = [];
  let tokens = 0;
  const streamer = new TextDeltaStreamer(tokenizer, (d) => deltas.push(d), () => (tokens += 1));
  streamer.put([[1n, 2n, 3n]]);
  for (const id of ids) {
    const before = deltas.length;
    streamer.put([[BigInt(id)]]);
    perPut.push(deltas.slice(before).join(''));
  }
  const beforeEnd = deltas.length;
  streamer.end();
  return { deltas, perPut, flushed: deltas.slice(beforeEnd).join(''), tokens, streamer };
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('TextDeltaStreamer', () => {
  it('emits each word as its token arrives, not at the next space', () => {
    const ids = encode('Hello there, how are you today? Fine.\nThanks!');
    const { perPut, deltas, flushed, tokens } = stream(ids);
    expect(tokens).toBe(ids.length);
    // Every token of plain text prints at once: what has arrived is always all of it.
    for (let i = 0; i < ids.length; i++) {
      expect(perPut[i]!.length).toBeGreaterThan(0);
      expect(perPut.slice(0, i + 1).join('')).toBe(decode(ids.slice(0, i + 1)));
    }
    expect(flushed).toBe('');
    expect(deltas.join('')).toBe(decode(ids));
  });

  it('holds back the bytes of an emoji until the character is complete', () => {
    // 🎉 as the four byte-fallback tokens a model may sample instead of the vocabulary's own token.
    const bytes = [...new TextEncoder().encode('🎉')].map((b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    const byteIds = bytes.map((name) => tokenizer.get_vocab().get(name)!);
    expect(byteIds.every((id) => typeof id === 'number')).toBe(true);
    const ids = [...encode('Hi'), ...byteIds, ...encode(' ok')];
    const { perPut, deltas } = stream(ids);
    const at = encode('Hi').length;
    expect(perPut.slice(at, at + 3)).toEqual(['', '', '']);
    expect(perPut[at + 3]).toBe('🎉');
    expect(deltas.every((d) => !d.includes('\uFFFD'))).toBe(true);
    expect(deltas.join('')).toBe(decode(ids));
  });

  it('flushes an incomplete character at the end', () => {
    const first = tokenizer.get_vocab().get('<0xF0>')!;
    const { perPut, flushed, deltas } = stream([...encode('Hi'), first]);
    expect(perPut.at(-1)).toBe('');
    expect(flushed).toBe('\uFFFD');
    expect(deltas.join('')).toBe(decode([...encode('Hi'), first]));
  });

  it('skips special tokens', () => {
    const vocab = tokenizer.get_vocab();
    const end = vocab.get('<|im_end|>')!;
    const start = vocab.get('<|im_start|>')!;
    const ids = [...encode('one two'), start, ...encode(' three'), end];
    const { deltas } = stream(ids);
    expect(deltas.join('')).not.toContain('<|im_');
    expect(deltas.join('')).toBe(decode(ids));
  });

  it('concatenates to the decoded reply for emoji-heavy and random id sequences', () => {
    const texts = ['🎉🎉 à la carte — naïve café 😀👍🏽 日本語のテキスト', ' leading space', '  two spaces\n\n🙂', '🇫🇷🏳️‍🌈 x'];
    for (const text of texts) expect(stream(encode(text)).deltas.join('')).toBe(decode(encode(text)));

    const vocab = tokenizer.get_vocab();
    const byteId = (b: number) => vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`)!;
    const emojiIds = encode('😀🎉👍🏽🙂日本é');
    const emojiBytes = ['😀', '👍🏽', '日', 'é', '🇫🇷'].map((e) => [...new TextEncoder().encode(e)].map(byteId));
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(seed);
      const ids: number[] = [];
      while (ids.length < 40 + seed) {
        const r = next();
        // Emoji as whole tokens and as byte tokens, stray bytes (broken UTF-8), and any id at all.
        if (r < 0.25) ids.push(emojiIds[Math.floor(next() * emojiIds.length)]!);
        else if (r < 0.45) ids.push(...emojiBytes[Math.floor(next() * emojiBytes.length)]!);
        else if (r < 0.55) ids.push(byteId(Math.floor(next() * 256)));
        else ids.push(Math.floor(next() * vocab.size));
      }
      const { deltas, streamer } = stream(ids);
      expect(deltas.join(''), `seed ${seed}`).toBe(decode(ids));
      expect(streamer.emitted).toBe(decode(ids));
    }
  });

  it('decodes a small window per token, not the whole reply', () => {
    const ids = encode('word '.repeat(400).trim());
    let longest = 0;
    const counting = { decode: (window: number[], options?: object) => ((longest = Math.max(longest, window.length)), tokenizer.decode(window, options)) };
    const deltas: string[] = [];
    const streamer = new TextDeltaStreamer(counting as unknown as PreTrainedTokenizer, (d) => deltas.push(d));
    streamer.put([[1n]]);
    for (const id of ids) streamer.put([[BigInt(id)]]);
    streamer.end();
    expect(ids.length).toBeGreaterThan(300);
    expect(longest).toBeLessThanOrEqual(3);
    expect(deltas.join('')).toBe(decode(ids));
  });
});
