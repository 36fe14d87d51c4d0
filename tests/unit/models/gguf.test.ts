/**
 * The GGUF the builder writes for the benchmark's wllama path (issue 19): read back with the
 * Hugging Face GGUF parser, and the three layout changes checked by what they must preserve.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf, GGMLQuantizationType } from '@huggingface/gguf';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGguf } from '../../../scripts/build-gguf';
import { float16Value } from '../../../scripts/onnx/float16';
import { interleaveRopeRows, quantizeQ8_0, spmVocabulary, TOKEN_TYPE, toRows } from '../../../scripts/onnx/llama-gguf';
import { PRESETS } from '../../../scripts/onnx/build';
import { chatTokenizer, IM_END_ID, IM_START_ID } from '../../../scripts/onnx/tokenizer';
import { mulberry32 } from '../../../workers/shared/seeded-random';

const out = mkdtempSync(join(tmpdir(), 'gguf-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function randomArray(n: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: n }, () => next() * 2 - 1);
}

describe('q8_0 quantisation', () => {
  it('stores one fp16 scale and 32 int8 per block, and dequantises to within half a step (plus the fp16 rounding of the scale)', () => {
    const values = randomArray(64, 1);
    values[5] = 0; // an exact zero stays zero
    const bytes = quantizeQ8_0(values);
    expect(bytes.length).toBe(2 * 34);
    const view = new DataView(bytes.buffer);
    for (let b = 0; b < 2; b++) {
      const d = float16Value(view.getUint16(b * 34, true));
      const block = values.subarray(b * 32, b * 32 + 32);
      const amax = Math.max(...Array.from(block, Math.abs));
      expect(d).toBeCloseTo(amax / 127, 4);
      for (let i = 0; i < 32; i++) {
        const q = view.getInt8(b * 34 + 2 + i);
        expect(Math.abs(q)).toBeLessThanOrEqual(127);
        // Half a step, plus the scale's own fp16 rounding (2^-11 relative) times up to 127.
        expect(Math.abs(q * d - block[i]!)).toBeLessThanOrEqual(d / 2 + 127 * d * 2 ** -11);
      }
    }
    expect(view.getInt8(2 + 5)).toBe(0);
  });

  it('refuses rows that are not whole blocks', () => {
    expect(() => quantizeQ8_0(new Float32Array(40))).toThrow(/multiple of 32/);
  });
});

describe('layout', () => {
  it('turns x · W into [out, in] rows whose dot product with x is the same output', () => {
    const inDim = 6;
    const outDim = 4;
    const w = randomArray(inDim * outDim, 2);
    const x = randomArray(inDim, 3);
    const rows = toRows(w, inDim, outDim);
    for (let o = 0; o < outDim; o++) {
      let viaW = 0;
      let viaRows = 0;
      for (let i = 0; i < inDim; i++) {
        viaW += x[i]! * w[i * outDim + o]!;
        viaRows += rows[o * inDim + i]! * x[i]!;
      }
      expect(viaRows).toBeCloseTo(viaW, 6);
    }
  });

  it("gives llama.cpp's adjacent-pair RoPE the attention scores the graph's rotate-half RoPE gives", () => {
    const heads = 2;
    const D = 8;
    const inDim = 5;
    const theta = 10000;
    const wq = randomArray(inDim * heads * D, 4);
    const wk = randomArray(inDim * heads * D, 5);
    const x1 = randomArray(inDim, 6);
    const x2 = randomArray(inDim, 7);
    const project = (rows: Float32Array, x: Float32Array) =>
      Float32Array.from({ length: heads * D }, (_, o) => rows.subarray(o * inDim, (o + 1) * inDim).reduce((s, v, i) => s + v * x[i]!, 0));
    const freq = (i: number) => 1 / Math.pow(theta, (2 * i) / D);
    // The ONNX graph: pairs (i, i + D/2) rotated by angle pos·freq(i).
    const rotateHalf = (v: Float32Array, pos: number) => {
      const r = new Float32Array(v.length);
      for (let h = 0; h < heads; h++) {
        for (let i = 0; i < D / 2; i++) {
          const a = v[h * D + i]!;
          const b = v[h * D + i + D / 2]!;
          const c = Math.cos(pos * freq(i));
          const s = Math.sin(pos * freq(i));
          r[h * D + i] = a * c - b * s;
          r[h * D + i + D / 2] = b * c + a * s;
        }
      }
      return r;
    };
    // llama.cpp's LLaMA mode: pairs (2i, 2i + 1) rotated by the same angles.
    const rotatePairs = (v: Float32Array, pos: number) => {
      const r = new Float32Array(v.length);
      for (let h = 0; h < heads; h++) {
        for (let i = 0; i < D / 2; i++) {
          const a = v[h * D + 2 * i]!;
          const b = v[h * D + 2 * i + 1]!;
          const c = Math.cos(pos * freq(i));
          const s = Math.sin(pos * freq(i));
          r[h * D + 2 * i] = a * c - b * s;
          r[h * D + 2 * i + 1] = b * c + a * s;
        }
      }
      return r;
    };
    const scores = (q: Float32Array, k: Float32Array) =>
      Array.from({ length: heads }, (_, h) => q.subarray(h * D, (h + 1) * D).reduce((s, v, i) => s + v * k[h * D + i]!, 0));

    const qRows = toRows(wq, inDim, heads * D);
    const kRows = toRows(wk, inDim, heads * D);
    const graph = scores(rotateHalf(project(qRows, x1), 7), rotateHalf(project(kRows, x2), 3));
    const permutedQ = interleaveRopeRows(qRows, heads, D, inDim);
    const permutedK = interleaveRopeRows(kRows, heads, D, inDim);
    const llamaCpp = scores(rotatePairs(project(permutedQ, x1), 7), rotatePairs(project(permutedK, x2), 3));
    llamaCpp.forEach((score, h) => expect(score).toBeCloseTo(graph[h]!, 5));
    // Without the reordering the scores differ: the check above can fail.
    const unpermuted = scores(rotatePairs(project(qRows, x1), 7), rotatePairs(project(kRows, x2), 3));
    expect(Math.max(...unpermuted.map((s, h) => Math.abs(s - graph[h]!)))).toBeGreaterThan(1e-3);
  });
});

describe('vocabulary', () => {
  it('types bytes, specials and padding as llama.cpp expects, with unique pieces', () => {
    const tok = chatTokenizer().tokenizer as Parameters<typeof spmVocabulary>[0];
    const v = spmVocabulary(tok, 32_100);
    expect(v.tokens).toHaveLength(32_100);
    expect(new Set(v.tokens).size).toBe(32_100);
    expect(v.types[0]).toBe(TOKEN_TYPE.unknown);
    expect(v.tokens[IM_START_ID]).toBe('<|im_start|>');
    expect(v.types[IM_END_ID]).toBe(TOKEN_TYPE.control);
    const byteId = v.tokens.indexOf('<0x0A>');
    expect(v.types[byteId]).toBe(TOKEN_TYPE.byte);
    const the = v.tokens.indexOf('▁the');
    expect(v.types[the]).toBe(TOKEN_TYPE.normal);
    // Earlier pieces (merged earlier) score higher, as SentencePiece's merge order wants.
    expect(v.scores[the]!).toBeGreaterThan(v.scores[v.tokens.indexOf('▁walking')]!);
    expect(v.types[32_050]).toBe(TOKEN_TYPE.unused);
  });
});

describe('the tiny preset as GGUF', () => {
  it('parses back with the tensors, shapes and metadata llama.cpp loads', async () => {
    const built = buildGguf('tiny', out);
    const dims = PRESETS.tiny.models.find((m) => m.kind === 'chat')!.dims as { hidden: number; layers: number; heads: number; kvHeads: number; headDim: number; intermediate: number; vocab: number };
    const parsed = await gguf(built.path, { allowLocalFile: true });
    const meta = parsed.metadata as Record<string, unknown>;
    expect(meta['general.architecture']).toBe('llama');
    expect(meta['llama.block_count']).toBe(dims.layers);
    expect(meta['llama.attention.head_count_kv']).toBe(dims.kvHeads);
    expect(meta['tokenizer.ggml.model']).toBe('llama');
    expect((meta['tokenizer.ggml.tokens'] as string[]).length).toBe(dims.vocab);
    expect(meta['tokenizer.ggml.eos_token_id']).toBe(IM_END_ID);

    const byName = new Map(parsed.tensorInfos.map((t) => [t.name, t]));
    expect(parsed.tensorInfos).toHaveLength(1 + dims.layers * 9 + 1);
    expect(byName.has('output.weight')).toBe(false); // tied: llama.cpp reuses token_embd
    expect(byName.get('token_embd.weight')!.shape.map(Number)).toEqual([dims.hidden, dims.vocab]);
    expect(byName.get('blk.0.attn_k.weight')!.shape.map(Number)).toEqual([dims.hidden, dims.kvHeads * dims.headDim]);
    expect(byName.get('blk.1.ffn_down.weight')!.shape.map(Number)).toEqual([dims.intermediate, dims.hidden]);
    expect(byName.get('blk.1.ffn_down.weight')!.dtype).toBe(GGMLQuantizationType.Q8_0);
    expect(byName.get('output_norm.weight')!.dtype).toBe(GGMLQuantizationType.F32);

    // Offsets aligned, in order, and the last tensor ends at the end of the file.
    const sizeOf = (t: (typeof parsed.tensorInfos)[number]) => {
      const n = t.shape.reduce((a, b) => a * Number(b), 1);
      return t.dtype === GGMLQuantizationType.Q8_0 ? (n / 32) * 34 : n * 4;
    };
    let expected = 0;
    for (const t of parsed.tensorInfos) {
      expect(Number(t.offset)).toBe(expected);
      expected += Math.ceil(sizeOf(t) / 32) * 32;
    }
    expect(Number(parsed.tensorDataOffset) % 32).toBe(0);
    expect(Number(parsed.tensorDataOffset) + expected).toBe(built.bytes);
  });

  it('is reused when up to date and rebuilt when its file was damaged', () => {
    const first = buildGguf('tiny', out, true);
    expect(first.skipped).toBe(true);
    rmSync(first.path);
    const again = buildGguf('tiny', out, true);
    expect(again.skipped).toBe(false);
    expect(again.bytes).toBe(first.bytes);
  });
});
