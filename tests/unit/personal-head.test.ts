/**
 * The personal head learns a simulated user's preference from ratings alone (DESIGN §5), through
 * the same encoder and feature code the reward worker runs (Node, onnxruntime-node CPU).
 */
import 'fake-indexeddb/auto';
import { env } from '@huggingface/transformers';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteHead, loadHead, saveHead } from '../../src/reward/head-storage';
import { DEMO_ENCODER } from '../../src/reward/reward-catalog';
import { openChatDb } from '../../src/storage/db';
import { featureSize } from '../../workers/reward/features';
import { adoptHead, emptyHead, forgetExample, HeadScorer, trainHead } from '../../workers/reward/personal-head';
import { SentenceEncoder } from '../../workers/reward/reward-models';
import {
  featurize,
  heldOutAccuracy,
  seededRandom,
  simulatedReply,
  trainSequentially,
  type Featurized,
} from '../../bench/simulated-user';

let encoder: SentenceEncoder;
let train: Featurized[];
let heldOut: Featurized[];

beforeAll(async () => {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = resolve('public/models') + '/';
  encoder = await SentenceEncoder.load(DEMO_ENCODER, { device: 'cpu', dtype: 'q8', localOnly: true });
  const rng = seededRandom(7);
  const encode = (text: string) => encoder.encode(text);
  train = await featurize(encode, Array.from({ length: 100 }, () => simulatedReply(rng)));
  heldOut = await featurize(encode, Array.from({ length: 200 }, () => simulatedReply(rng)));
});

afterAll(() => encoder?.dispose());

describe('personal head on a simulated user who likes replies about music', () => {
  it('learns the preference from ratings: held-out pairwise accuracy ≥ 0.80 after 50', () => {
    const ks = [10, 25, 50, 100];
    const heads = trainSequentially(DEMO_ENCODER.id, train, ks);
    const figures = ks.map((k) => ({ ratings: k, accuracy: heldOutAccuracy(heads.get(k)!, heldOut) }));
    console.log('held-out pairwise accuracy:', figures.map((f) => `${f.ratings}: ${f.accuracy.toFixed(3)}`).join(', '));
    expect(figures[2]!.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(figures[3]!.accuracy).toBeGreaterThanOrEqual(figures[0]!.accuracy);
    expect(heads.get(100)!.trainingCount).toBe(100);
  });

  it('trains fast enough to run on every rating (200 stored examples)', () => {
    const many = [...train, ...heldOut];
    let head = emptyHead(DEMO_ENCODER.id, featureSize(encoder.hidden));
    head = { ...head, examples: many.slice(0, 199).map((item, i) => ({ messageId: `m${i}`, features: item.features, liked: item.liked, weight: 1 })) };
    const started = performance.now();
    trainHead(head, { messageId: 'last', features: many[199]!.features, liked: many[199]!.liked, weight: 1 });
    const ms = performance.now() - started;
    console.log(`one training request over 200 examples: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(500);
  });

  it('scores exactly 0.5 untrained, and again once every rating is forgotten', () => {
    const fresh = emptyHead(DEMO_ENCODER.id, featureSize(encoder.hidden));
    expect(new HeadScorer(fresh).score(heldOut[0]!.features)).toEqual({ ok: 0.5, label: '__ok__', trainingCount: 0 });
    const trained = trainHead(fresh, { messageId: 'a', features: train[0]!.features, liked: train[0]!.liked, weight: 1 });
    const forgotten = forgetExample(trained, 'a');
    expect(forgotten.examples).toEqual([]);
    expect(new HeadScorer(forgotten).probability(heldOut[0]!.features)).toBe(0.5);
  });

  it('replaces a re-rated example and forgets a withdrawn one by retraining', () => {
    const heads = trainSequentially(DEMO_ENCODER.id, train.slice(0, 30), [30]);
    const head = heads.get(30)!;
    expect(head.examples).toHaveLength(30);
    const flipped = trainHead(head, { messageId: 'm3', features: train[3]!.features, liked: !train[3]!.liked, weight: 1.5 });
    expect(flipped.examples).toHaveLength(30);
    expect(flipped.examples.find((e) => e.messageId === 'm3')).toMatchObject({ liked: !train[3]!.liked, weight: 1.5 });
    expect(flipped.trainingCount).toBe(31);
    const forgotten = forgetExample(flipped, 'm3');
    expect(forgotten.examples.map((e) => e.messageId)).not.toContain('m3');
    expect(forgotten.examples).toHaveLength(29);
    expect(forgotten.weights).not.toEqual(flipped.weights);
    expect(forgetExample(forgotten, 'not-there')).toBe(forgotten);
  });

  it('discards a head made for another encoder', () => {
    const size = featureSize(encoder.hidden);
    const trained = trainSequentially(DEMO_ENCODER.id, train.slice(0, 10), [10]).get(10)!;
    expect(adoptHead(trained, DEMO_ENCODER.id, size)).toBe(trained);
    const other = adoptHead({ ...trained, encoderId: 'Xenova/all-MiniLM-L6-v2' }, DEMO_ENCODER.id, size);
    expect(other.trainingCount).toBe(0);
    expect(other.examples).toEqual([]);
    expect(other.encoderId).toBe(DEMO_ENCODER.id);
    expect(adoptHead(trained, DEMO_ENCODER.id, size + 3).trainingCount).toBe(0);
    expect(adoptHead(null, DEMO_ENCODER.id, size).weights).toHaveLength(size);
  });

  it('is structured-clone safe and scores identically after a save/load round trip through IndexedDB', async () => {
    const head = trainSequentially(DEMO_ENCODER.id, train.slice(0, 25), [25]).get(25)!;
    expect(structuredClone(head)).toEqual(head);
    const db = await openChatDb('personal-head-roundtrip');
    await saveHead(db, head);
    db.close();
    const reopened = await openChatDb('personal-head-roundtrip');
    const loaded = await loadHead(reopened);
    expect(loaded).toEqual(head);
    const before = new HeadScorer(head);
    const after = new HeadScorer(loaded!);
    for (const item of heldOut.slice(0, 20)) expect(after.probability(item.features)).toBe(before.probability(item.features));
    await deleteHead(reopened);
    expect(await loadHead(reopened)).toBeNull();
    reopened.close();
  });
});
