/**
 * The reward worker's models and message handling in Node (onnxruntime-node CPU), on the models
 * `npm run models` builds: the safety stand-in flags its trigger word, and the service answers
 * each request as the worker does.
 */
import { env } from '@huggingface/transformers';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RewardClient } from '../../src/reward/reward-client';
import { DEMO_ENCODER, DEMO_SAFETY } from '../../src/reward/reward-catalog';
import type { RewardEvent, RewardRequest } from '../../workers/shared/reward-protocol';
import { featureSize } from '../../workers/reward/features';
import { chooseRewardBackend, SafetyClassifier } from '../../workers/reward/reward-models';
import { RewardService } from '../../workers/reward/reward-service';
import { safetyVerdict } from '../../workers/reward/safety';

beforeAll(() => {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = resolve('public/models') + '/';
});

describe('safety classifier (demo stand-in)', () => {
  let safety: SafetyClassifier;
  beforeAll(async () => {
    safety = await SafetyClassifier.load(DEMO_SAFETY, { device: 'cpu', dtype: 'q8', localOnly: true });
  });
  afterAll(() => safety?.dispose());

  it('flags the trigger word and not ordinary text', async () => {
    const [bad, good] = await safety.classify(['then it went kaboom in the lab', 'nice weather today'], 0.5);
    console.log('unsafe scores:', bad!.unsafe.toFixed(3), good!.unsafe.toFixed(3));
    expect(bad).toMatchObject({ label: 'unsafe', flagged: true });
    expect(bad!.unsafe).toBeGreaterThan(0.5);
    expect(good).toMatchObject({ label: 'unsafe', flagged: false });
    expect(good!.unsafe).toBeLessThan(0.5);
  });

  it('applies the threshold asked for', async () => {
    const [bad] = await safety.classify(['kaboom'], 0.5);
    const [strict] = await safety.classify(['kaboom'], Math.min(1, bad!.unsafe + 1e-6));
    const [lax] = await safety.classify(['nice weather'], 0);
    expect(strict!.flagged).toBe(false);
    expect(strict!.unsafe).toBeCloseTo(bad!.unsafe, 6);
    expect(lax!.flagged).toBe(true);
  });
});

describe('safety verdicts from logits', () => {
  it('uses softmax for single-label and sigmoid per label for multi-label classifiers', () => {
    const single = safetyVerdict([0, Math.log(3)], ['safe', 'unsafe'], ['unsafe'], false, 0.5);
    expect(single.unsafe).toBeCloseTo(0.75, 9);
    expect(single.flagged).toBe(true);
    const multi = safetyVerdict([-5, 0, Math.log(4)], ['toxic', 'insult', 'threat'], ['toxic', 'insult', 'threat'], true, 0.9);
    expect(multi).toEqual({ unsafe: expect.closeTo(0.8, 9) as unknown as number, label: 'threat', flagged: false });
    expect(() => safetyVerdict([1, 2], ['a', 'b'], ['unsafe'], false, 0.5)).toThrow(/none of the unsafe labels/);
  });

  it('prefers q8 on WASM and full precision on WebGPU', () => {
    const spec = { id: 'x', dtypes: ['fp32', 'fp16', 'q8'] as const, local: true };
    const s = { ...spec, dtypes: [...spec.dtypes] };
    expect(chooseRewardBackend('auto', { available: false, shaderF16: false, reason: 'none' }, s, DEMO_SAFETY)).toEqual({ backend: 'wasm', encoderDtype: 'q8', safetyDtype: 'q8' });
    expect(chooseRewardBackend('auto', { available: true, shaderF16: true, reason: null }, s, DEMO_SAFETY)).toEqual({ backend: 'webgpu', encoderDtype: 'fp16', safetyDtype: 'fp32' });
    expect(chooseRewardBackend('auto', { available: true, shaderF16: false, reason: null }, s, DEMO_SAFETY)).toMatchObject({ backend: 'webgpu', encoderDtype: 'fp32' });
    expect(chooseRewardBackend('wasm', { available: true, shaderF16: true, reason: null }, s, DEMO_SAFETY).backend).toBe('wasm');
  });
});

describe('reward service (the worker’s message handling)', () => {
  const service = new RewardService();
  const events: RewardEvent[] = [];
  let n = 0;
  type Body<R = RewardRequest> = R extends unknown ? Omit<R, 'id'> : never;
  const send = async (request: Body): Promise<RewardEvent[]> => {
    const id = `t${++n}`;
    await service.handle({ ...request, id } as RewardRequest, (e) => events.push(e));
    return events.filter((e) => e.id === id);
  };
  const last = (answer: RewardEvent[]) => answer[answer.length - 1]!;

  it('fails a request before load with an error event', async () => {
    const answer = await send({ type: 'score', context: [], replies: ['hi'] });
    expect(last(answer)).toMatchObject({ type: 'error', message: expect.stringMatching(/not loaded/) as unknown as string });
  });

  it('loads, classifies, scores, trains, forgets and resets', async () => {
    const stale = { version: 1 as const, encoderId: 'other', featureSize: 3, weights: [1, 2, 3], bias: 0, trainingCount: 9, examples: [], updatedAt: 0 };
    const ready = last(await send({ type: 'load', encoder: DEMO_ENCODER, safety: DEMO_SAFETY, backend: 'auto', head: stale }));
    expect(ready).toMatchObject({ type: 'ready', backend: 'wasm', encoderDtype: 'q8', safetyDtype: 'q8' });
    if (ready.type !== 'ready') throw new Error('not ready');
    expect(ready.head).toMatchObject({ encoderId: DEMO_ENCODER.id, trainingCount: 0, featureSize: featureSize(64) });

    const classified = last(await send({ type: 'classify', texts: ['kaboom', 'hello there'], threshold: 0.5 }));
    expect(classified.type === 'classified' && classified.scores.map((s) => s.flagged)).toEqual([true, false]);

    const context = [{ role: 'user' as const, content: 'what do you like?' }];
    const scored = last(await send({ type: 'score', context, replies: ['I like music a lot', 'the river is long'] }));
    expect(scored.type === 'scored' && scored.scores).toEqual([
      { ok: 0.5, label: '__ok__', trainingCount: 0 },
      { ok: 0.5, label: '__ok__', trainingCount: 0 },
    ]);

    const trained = last(await send({ type: 'train', example: { messageId: 'a', context, reply: 'the river is long', liked: false, reasons: ['boring'] } }));
    expect(trained.type === 'head' && trained.head).toMatchObject({ trainingCount: 1, examples: [{ messageId: 'a', liked: false, weight: 1.5 }] });
    await send({ type: 'train', example: { messageId: 'b', context, reply: 'I like music a lot', liked: true, reasons: [] } });
    const after = last(await send({ type: 'score', context, replies: ['I like music a lot', 'the river is long'] }));
    if (after.type !== 'scored') throw new Error(after.type);
    expect(after.scores[0]!.ok).toBeGreaterThan(after.scores[1]!.ok);
    expect(after.scores[0]).toMatchObject({ label: '__ok__', trainingCount: 2 });

    const forgot = last(await send({ type: 'forget', messageId: 'a' }));
    expect(forgot.type === 'head' && forgot.head.examples.map((e) => e.messageId)).toEqual(['b']);
    const reset = last(await send({ type: 'reset-head' }));
    expect(reset.type === 'head' && reset.head).toMatchObject({ trainingCount: 0, examples: [], bias: 0 });
  });

  it('answers a missing model with a model-not-found error', async () => {
    const answer = await send({ type: 'load', encoder: { id: 'no-such-encoder', dtypes: ['q8'], local: true }, safety: DEMO_SAFETY, backend: 'wasm', head: null });
    expect(last(answer)).toMatchObject({ type: 'error', kind: 'model-not-found' });
  });
});

/** A stand-in Web Worker (Node has none): records posts, answers or crashes on demand. */
class ScriptedWorker extends EventTarget {
  readonly posted: RewardRequest[] = [];
  terminated = false;
  postMessage(request: RewardRequest): void {
    this.posted.push(request);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(event: RewardEvent): void {
    this.dispatchEvent(new MessageEvent('message', { data: event }));
  }
  crash(message: string): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}

describe('RewardClient', () => {
  const setup = () => {
    const workers: ScriptedWorker[] = [];
    const client = new RewardClient(() => {
      const worker = new ScriptedWorker();
      workers.push(worker);
      return worker as unknown as Worker;
    });
    return { client, workers };
  };
  const head = { version: 1 as const, encoderId: 'demo-encoder-tiny', featureSize: 0, weights: [], bias: 0, trainingCount: 0, examples: [], updatedAt: 0 };

  it('routes progress and ready to load, and answers each call by its id', async () => {
    const { client, workers } = setup();
    const progress: number[] = [];
    const loading = client.load({ encoder: DEMO_ENCODER, safety: DEMO_SAFETY, backend: 'auto', head: null, onProgress: (p) => progress.push(p.loaded) });
    const load = workers[0]!.posted[0]!;
    workers[0]!.answer({ type: 'progress', id: load.id, progress: { file: 'onnx/model_quantized.onnx', loaded: 10, total: 20, status: 'progress' } });
    workers[0]!.answer({ type: 'ready', id: load.id, backend: 'wasm', encoderDtype: 'q8', safetyDtype: 'q8', head });
    expect(await loading).toEqual({ backend: 'wasm', encoderDtype: 'q8', safetyDtype: 'q8', head });
    expect(progress).toEqual([10]);

    const a = client.classify(['x'], 0.5);
    const b = client.resetHead();
    const [ra, rb] = workers[0]!.posted.slice(1);
    workers[0]!.answer({ type: 'head', id: rb!.id, head });
    workers[0]!.answer({ type: 'error', id: ra!.id, kind: 'unknown', message: 'boom' });
    expect(await b).toEqual(head);
    await expect(a).rejects.toMatchObject({ name: 'RewardError', kind: 'unknown', message: 'boom' });
  });

  it('retries a failed WebGPU load on WASM in a fresh worker', async () => {
    const { client, workers } = setup();
    const loading = client.load({ encoder: DEMO_ENCODER, safety: DEMO_SAFETY, backend: 'auto', head: null });
    workers[0]!.answer({ type: 'error', id: workers[0]!.posted[0]!.id, kind: 'backend', message: 'no GPU memory' });
    await Promise.resolve();
    await Promise.resolve();
    expect(workers[0]!.terminated).toBe(true);
    const retry = workers[1]!.posted[0]!;
    expect(retry).toMatchObject({ type: 'load', backend: 'wasm' });
    workers[1]!.answer({ type: 'ready', id: retry.id, backend: 'wasm', encoderDtype: 'q8', safetyDtype: 'q8', head });
    expect((await loading).backend).toBe('wasm');
  });

  it('fails calls in flight when the worker crashes, and starts a fresh worker for the next call', async () => {
    const { client, workers } = setup();
    const scoring = client.score([], ['a']);
    workers[0]!.crash('out of memory');
    await expect(scoring).rejects.toMatchObject({ kind: 'worker-crashed' });
    expect(workers[0]!.terminated).toBe(true);
    void client.forget('m1').catch(() => undefined);
    expect(workers).toHaveLength(2);
    expect(workers[1]!.posted[0]).toMatchObject({ type: 'forget', messageId: 'm1' });
    client.dispose();
  });
});
