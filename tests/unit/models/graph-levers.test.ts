/**
 * The builder's graph-shape levers of issue 19 (bench/wasm-levers.ts): the head read as activation ×
 * transposed copy (q8's default since it decoded 19–34% faster on WASM) or from the tied table, and
 * one DynamicQuantizeLinear per matmul. Same function, different graph: the logits agree, and the
 * graph has the shape the lever promises.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../../scripts/onnx/build';
import { llamaGraph, llamaOpsets, makeLlamaWeights, type LlamaDims, type LlamaGraphOptions } from '../../../scripts/onnx/llama';
import type { WeightPrecision } from '../../../scripts/onnx/linear';
import { cosine, emptyCache, forward, maxAbsDiff, openSession, type Session } from './helpers';

const { onnx } = onnxProto;
const dims = PRESETS.tiny.models.find((m) => m.kind === 'chat')!.dims as LlamaDims;
const weights = makeLlamaWeights(dims, 7);
const dir = mkdtempSync(join(tmpdir(), 'graph-levers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, precision: WeightPrecision, options: LlamaGraphOptions): { path: string; ops: Array<{ op: string; inputs: string[] }> } {
  const encoded = llamaGraph(dims, weights, precision, options).encode(llamaOpsets(precision, options), name);
  const path = join(dir, `${name}.onnx`);
  encoded.writeFile(path);
  const model = onnx.ModelProto.decode(encoded.toBytes());
  return { path, ops: model.graph!.node!.map((n) => ({ op: n.opType!, inputs: n.input ?? [] })) };
}

const PROMPT = [1, 32000, 1404, 13, 22557, 28808, 32001, 13, 32000, 13892, 13];
const logitsOf = async (session: Session) => (await forward(session, [PROMPT], [PROMPT.map(() => 1)], emptyCache(1))).logits[0]!;

const built: Record<string, { path: string; ops: Array<{ op: string; inputs: string[] }> }> = {};
const sessions: Record<string, Session> = {};

beforeAll(async () => {
  built.fp32 = write('fp32', 'fp32', {});
  built.fp32HeadT = write('fp32-head-t', 'fp32', { lmHead: 'transposed' });
  built.fp32NormFused = write('fp32-norm-fused', 'fp32', { norm: 'fused' });
  built.q8 = write('q8', 'q8', {});
  built.q8Tied = write('q8-head-tied', 'q8', { lmHead: 'tied' });
  built.q8Each = write('q8-dq-each', 'q8', { quantizeEachMatmul: true });
  for (const [name, b] of Object.entries(built)) sessions[name] = await openSession(b.path);
});

const count = (ops: Array<{ op: string }>, op: string) => ops.filter((n) => n.op === op).length;

describe('graph-shape levers', () => {
  it('fp32: the transposed head computes the tied head’s logits', async () => {
    const [tied, transposed] = [await logitsOf(sessions.fp32!), await logitsOf(sessions.fp32HeadT!)];
    for (let i = 0; i < PROMPT.length; i++) expect(maxAbsDiff(transposed[i]!, tied[i]!)).toBeLessThan(1e-4);
    // The tied head is one Gemm on the table; the transposed one a MatMul on its own copy.
    expect(count(built.fp32!.ops, 'Gemm')).toBe(1);
    expect(count(built.fp32HeadT!.ops, 'Gemm')).toBe(0);
  });

  it('fp32: RMSNorm as one SimplifiedLayerNormalization node computes the plain ops’ logits', async () => {
    const [plain, fused] = [await logitsOf(sessions.fp32!), await logitsOf(sessions.fp32NormFused!)];
    for (let i = 0; i < PROMPT.length; i++) expect(maxAbsDiff(fused[i]!, plain[i]!)).toBeLessThan(1e-4);
    // 2 norms per layer and the final one, each one node instead of six.
    expect(count(built.fp32NormFused!.ops, 'SimplifiedLayerNormalization')).toBe(2 * dims.layers + 1);
    expect(count(built.fp32NormFused!.ops, 'ReduceMean')).toBe(0);
  });

  it('q8: both levers keep the logits of the model as built (cosine > 0.999) and of fp32 (> 0.99)', async () => {
    const [reference, asBuilt] = [await logitsOf(sessions.fp32!), await logitsOf(sessions.q8!)];
    for (const name of ['q8Tied', 'q8Each']) {
      const logits = await logitsOf(sessions[name]!);
      for (let i = 0; i < PROMPT.length; i++) {
        expect(cosine(logits[i]!, asBuilt[i]!)).toBeGreaterThan(0.999);
        expect(cosine(logits[i]!, reference[i]!)).toBeGreaterThan(0.99);
      }
    }
  });

  it('q8 as built: the activation is the left operand of every MatMulInteger; tied, the table is', () => {
    const asBuilt = built.q8!.ops.filter((n) => n.op === 'MatMulInteger');
    expect(asBuilt.some((n) => n.inputs[0]!.includes('embed_tokens'))).toBe(false);
    expect(asBuilt.some((n) => n.inputs[1]!.includes('lm_head'))).toBe(true);
    const tied = built.q8Tied!.ops.filter((n) => n.op === 'MatMulInteger');
    expect(tied.some((n) => n.inputs[0]!.includes('embed_tokens'))).toBe(true);
    expect(tied.some((n) => n.inputs[1]!.includes('lm_head'))).toBe(false);
  });

  it('q8 one quantize per matmul: as many DynamicQuantizeLinear as MatMulInteger', () => {
    const shared = built.q8!.ops;
    const each = built.q8Each!.ops;
    expect(count(each, 'MatMulInteger')).toBe(count(shared, 'MatMulInteger'));
    // As built, q/k/v share one and gate/up share one: 4 per layer for 7 matmuls, plus the head's.
    expect(count(shared, 'DynamicQuantizeLinear')).toBe(4 * dims.layers + 1);
    expect(count(each, 'DynamicQuantizeLinear')).toBe(count(each, 'MatMulInteger'));
  });
});
