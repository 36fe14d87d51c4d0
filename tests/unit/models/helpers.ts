/** Shared helpers for the model-builder tests: temp builds and plain onnxruntime-node runs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildPreset, type BuiltModel } from '../../../scripts/onnx/build.ts';

export interface TempModels {
  root: string;
  models: BuiltModel[];
  cleanup(): void;
}

/** Builds the tiny preset into a fresh temp folder. */
export function buildTinyModels(): TempModels {
  const root = mkdtempSync(join(tmpdir(), 'fc-models-'));
  const models = buildPreset('tiny', root);
  return { root, models, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export const CHAT = { kvHeads: 2, headDim: 16, layers: 2, vocab: 32002 };

export type Session = ort.InferenceSession;

export function openSession(path: string): Promise<Session> {
  return ort.InferenceSession.create(path, { graphOptimizationLevel: 'all' });
}

function int64(values: number[][]): ort.Tensor {
  const rows = values.length;
  const cols = values[0]?.length ?? 0;
  return new ort.Tensor('int64', BigInt64Array.from(values.flat().map((v) => BigInt(v))), [rows, cols]);
}

/** position_ids as transformers.js makes them: cumsum(mask) - 1, padding set to 1. */
export function positionIds(mask: number[][], lastN: number): number[][] {
  return mask.map((row) => {
    let seen = 0;
    const pos = row.map((m) => (m ? seen++ : 1));
    return pos.slice(row.length - lastN);
  });
}

export type Cache = Record<string, ort.Tensor>;

export function emptyCache(batch: number): Cache {
  const cache: Cache = {};
  for (let i = 0; i < CHAT.layers; i++) {
    for (const kind of ['key', 'value']) {
      cache[`past_key_values.${i}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [
        batch,
        CHAT.kvHeads,
        0,
        CHAT.headDim,
      ]);
    }
  }
  return cache;
}

export interface StepResult {
  /** [batch][position][vocab] */
  logits: Float32Array[][];
  cache: Cache;
}

/** One forward pass of the chat graph; `mask` covers past + new tokens. */
export async function forward(session: Session, ids: number[][], mask: number[][], cache: Cache): Promise<StepResult> {
  const seq = ids[0]!.length;
  const out = await session.run({
    input_ids: int64(ids),
    attention_mask: int64(mask),
    position_ids: int64(positionIds(mask, seq)),
    ...cache,
  });
  const logits = out.logits!;
  const [batch, positions, vocab] = logits.dims as [number, number, number];
  const data = logits.data as Float32Array;
  const rows: Float32Array[][] = [];
  for (let b = 0; b < batch; b++) {
    rows.push(
      Array.from({ length: positions }, (_, p) => data.slice((b * positions + p) * vocab, (b * positions + p + 1) * vocab)),
    );
  }
  const next: Cache = {};
  for (let i = 0; i < CHAT.layers; i++) {
    next[`past_key_values.${i}.key`] = out[`present.${i}.key`]!;
    next[`past_key_values.${i}.value`] = out[`present.${i}.value`]!;
  }
  return { logits: rows, cache: next };
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

export function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}
