/** The builder's pieces: quantisation layouts as onnxruntime reads them, encoding, reproducibility. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPreset, BUILDER_VERSION, type BuiltModel } from '../../../scripts/onnx/build.ts';
import { LinearEmitter } from '../../../scripts/onnx/linear.ts';
import { GraphBuilder, OPSETS_STANDARD, OPSETS_WITH_MS } from '../../../scripts/onnx/proto.ts';
import { dequantizeQ4, dequantizeQ8, quantizeQ4, quantizeQ8, transpose } from '../../../scripts/onnx/quantize.ts';
import { randomNormal } from '../../../scripts/onnx/rng.ts';
import { maxAbsDiff } from './helpers.ts';

const { onnx } = onnxProto;

function matmulRef(x: Float32Array, w: Float32Array, M: number, K: number, N: number): Float32Array {
  const y = new Float32Array(M * N);
  for (let m = 0; m < M; m++)
    for (let k = 0; k < K; k++) {
      const xv = x[m * K + k]!;
      for (let n = 0; n < N; n++) y[m * N + n] = y[m * N + n]! + xv * w[k * N + n]!;
    }
  return y;
}

/** One linear layer as a graph, run by onnxruntime. */
async function runLinear(precision: 'fp32' | 'q8' | 'q4', x: Float32Array, w: Float32Array, M: number, K: number, N: number) {
  const g = new GraphBuilder('linear');
  const input = g.input('x', 'float32', [M, K]);
  const y = new LinearEmitter(g, precision).linear(input, 'layer', w, K, N);
  g.node('Identity', [y], {}, { outputNames: ['y'] });
  g.output('y', 'float32', [M, N]);
  const bytes = g.encode(precision === 'q4' ? OPSETS_WITH_MS : OPSETS_STANDARD).toBytes();
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ x: new ort.Tensor('float32', x, [M, K]) });
  return out.y!.data as Float32Array;
}

describe('quantisation', () => {
  const M = 3;
  const K = 96;
  const N = 40;
  const x = randomNormal(M * K, 1, 11);
  const w = randomNormal(K * N, 0.02, 12);

  it.each([
    [96, 40],
    [576, 24],
    [1536, 8],
  ])('q4: MatMulNBits with our packing computes x · dequantize(W) (K=%i, N=%i)', async (K, N) => {
    const x = randomNormal(M * K, 1, 13);
    const w = randomNormal(K * N, 0.02, 14);
    const q = quantizeQ4(w, K, N, 32);
    const deq = dequantizeQ4(q);
    // The rounding error is bounded by half a step per block.
    let worst = 0;
    for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(deq[i]! - w[i]!));
    expect(worst).toBeLessThanOrEqual(Math.max(...q.scales) / 2 + 1e-7);
    const y = await runLinear('q4', x, w, M, K, N);
    expect(maxAbsDiff(y, matmulRef(x, deq, M, K, N))).toBeLessThan(1e-5);
  });

  it('q8: per-tensor uint8 weights round-trip within half a step', () => {
    const q = quantizeQ8(w);
    const deq = dequantizeQ8(q);
    expect(maxAbsDiff(deq, w)).toBeLessThanOrEqual(q.scale / 2 + 1e-7);
    expect(dequantizeQ8(quantizeQ8(new Float32Array([0, 0.5, -0.25])))[0]).toBe(0);
  });

  it('q8 and fp32 linear layers match the float reference', async () => {
    const ref = matmulRef(x, w, M, K, N);
    expect(maxAbsDiff(await runLinear('fp32', x, w, M, K, N), ref)).toBeLessThan(1e-5);
    // Activations are quantised too (DynamicQuantizeLinear), so allow a few percent.
    const y8 = await runLinear('q8', x, w, M, K, N);
    const scale = Math.max(...ref.map(Math.abs));
    expect(maxAbsDiff(y8, ref) / scale).toBeLessThan(0.05);
  });

  it('transpose is its own inverse', () => {
    const t = transpose(w, K, N);
    expect(t[5 * K + 7]).toBe(w[7 * N + 5]);
    expect(maxAbsDiff(transpose(t, N, K), w)).toBe(0);
  });
});

describe('encoding', () => {
  it('the chunked ModelProto decodes with onnx-proto, weights byte-exact', () => {
    const g = new GraphBuilder('enc');
    const data = randomNormal(1000, 1, 5);
    const x = g.input('x', 'float32', ['batch_size', 1000]);
    const y = g.op('Mul', [x, g.initializer('w', 'float32', [1000], data)]);
    g.node('Identity', [y], {}, { outputNames: ['y'] });
    g.output('y', 'float32', ['batch_size', 1000]);
    const model = onnx.ModelProto.decode(g.encode(OPSETS_STANDARD, 'doc').toBytes());
    expect(Number(model.irVersion)).toBe(8);
    expect(model.docString).toBe('doc');
    expect(model.graph?.node?.map((n) => n.opType)).toEqual(['Mul', 'Identity']);
    const init = model.graph!.initializer![0]!;
    expect(init.name).toBe('w');
    expect(new Float32Array(Uint8Array.from(init.rawData!).buffer)).toEqual(data);
    const dim = model.graph!.input![0]!.type!.tensorType!.shape!.dim!;
    expect(dim.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch_size', 1000]);
  });
});

describe('buildPreset', () => {
  let a: string;
  let b: string;
  let first: BuiltModel[];

  beforeAll(() => {
    a = mkdtempSync(join(tmpdir(), 'fc-build-a-'));
    b = mkdtempSync(join(tmpdir(), 'fc-build-b-'));
    first = buildPreset('tiny', a);
  });
  afterAll(() => {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  });

  it('writes the three tiny models in transformers.js layout, the chat model under 10 MB in fp32', () => {
    expect(first.map((m) => m.name)).toEqual(['demo-chat-tiny', 'demo-encoder-tiny', 'demo-safety-tiny']);
    const chat = first[0]!;
    expect(Object.keys(chat.files).sort()).toEqual([
      'config.json',
      'generation_config.json',
      'onnx/model.onnx',
      'onnx/model_q4.onnx',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    expect(chat.files['onnx/model.onnx']).toBeLessThan(10e6);
    const config = JSON.parse(readFileSync(join(chat.dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model_type: 'llama', demo_untrained: true, eos_token_id: 32001, vocab_size: 32002 });
    const tokConfig = JSON.parse(readFileSync(join(chat.dir, 'tokenizer_config.json'), 'utf8'));
    expect(tokConfig.eos_token).toBe('<|im_end|>');
    expect(tokConfig.chat_template).toContain('<|im_start|>');
    for (const m of first.slice(1)) expect(Object.keys(m.files)).toContain('onnx/model_quantized.onnx');
  });

  it('is reproducible: same preset and seed, same bytes', () => {
    const second = buildPreset('tiny', b);
    const digest = (m: BuiltModel, file: string) =>
      createHash('sha256').update(readFileSync(join(m.dir, file))).digest('hex');
    for (const [i, m] of first.entries()) {
      for (const file of Object.keys(m.files)) expect(digest(second[i]!, file), file).toBe(digest(m, file));
    }
  });

  it('with ifMissing skips up-to-date folders and rebuilds stale ones', () => {
    const skipped = buildPreset('tiny', a, { ifMissing: true });
    expect(skipped.map((m) => m.skipped)).toEqual([true, true, true]);

    const infoPath = join(a, 'demo-encoder-tiny', 'build-info.json');
    const info = JSON.parse(readFileSync(infoPath, 'utf8'));
    writeFileSync(infoPath, JSON.stringify({ ...info, builder_version: BUILDER_VERSION - 1 }));
    rmSync(join(a, 'demo-safety-tiny', 'onnx', 'model_quantized.onnx'));
    const again = buildPreset('tiny', a, { ifMissing: true });
    expect(again.map((m) => m.skipped)).toEqual([true, false, false]);
    expect(buildPreset('tiny', a, { ifMissing: true }).every((m) => m.skipped)).toBe(true);
  });
});
