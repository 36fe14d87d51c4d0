/** The generation adapter in IndexedDB (v6) and in backups: stored, replaced, forgotten, checked on import. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { BadRecordError, planImport } from '../../../src/backup/backup-records';
import {
  deleteExamplesOf,
  forgetAll,
  forgetModel,
  listExamples,
  loadAdapter,
  replaceExamplesOf,
  saveAdapter,
} from '../../../src/learning/adapter-storage';
import { openChatDb } from '../../../src/storage/db';
import { adapterFromJson } from '../../../workers/shared/adapter-codec';
import type { RatedReply } from '../../../workers/shared/learning-protocol';
import { ADAPTER_EXAMPLE, ADAPTER_JSON } from '../../support/backup-records';

let count = 0;
const freshDb = () => openChatDb(`adapter-storage-${++count}`);

function reply(id: string, positive: boolean, target = 1): RatedReply {
  return {
    id, positive, weight: positive ? 1 : 1.5, features: Float32Array.of(0.5, -2),
    logits: { k: 2, targets: Int32Array.of(target), topIds: Int32Array.of(2, target === 2 ? 0 : target), topLogits: Float32Array.of(4, 3), targetLogits: Float32Array.of(3), restLogSumExp: Float32Array.of(-Infinity) },
  };
}

describe('adapter storage', () => {
  it('keeps one adapter per model, exactly as trained', async () => {
    const db = await freshDb();
    const adapter = adapterFromJson(ADAPTER_JSON);
    await saveAdapter(db, adapter);
    await saveAdapter(db, { ...adapterFromJson(ADAPTER_JSON), modelId: 'other-model', trainingCount: 9 });
    expect(await loadAdapter(db, 'demo-chat-tiny')).toEqual(adapter);
    expect((await loadAdapter(db, 'other-model'))?.trainingCount).toBe(9);
    expect(await loadAdapter(db, 'never-seen')).toBeNull();
  });

  it('replaces a rated message’s examples for one model, lists them oldest first, deletes them for every model', async () => {
    const db = await freshDb();
    await replaceExamplesOf(db, 'a', 'm1', [reply('m1', false), reply('m1:better', true)], 1);
    await replaceExamplesOf(db, 'a', 'm2', [reply('m2', true, 2)], 2);
    await replaceExamplesOf(db, 'b', 'm1', [reply('m1', false)], 3);
    // A changed rating: the "what it should have said" is gone, the reply is now liked.
    await replaceExamplesOf(db, 'a', 'm1', [reply('m1', true)], 4);
    expect((await listExamples(db, 'a')).map((e) => [e.id, e.positive])).toEqual([['m2', true], ['m1', true]]);
    const listed = (await listExamples(db, 'a'))[0]!;
    expect(listed).toEqual(reply('m2', true, 2));
    expect(listed.logits.restLogSumExp[0]).toBe(-Infinity);

    const touched = await deleteExamplesOf(db, ['m1']);
    expect([...touched].sort()).toEqual(['a', 'b']);
    expect((await listExamples(db, 'a')).map((e) => e.id)).toEqual(['m2']);
    expect(await listExamples(db, 'b')).toEqual([]);
  });

  it('forgets one model’s adapter and examples, or everything', async () => {
    const db = await freshDb();
    await saveAdapter(db, adapterFromJson(ADAPTER_JSON));
    await saveAdapter(db, { ...adapterFromJson(ADAPTER_JSON), modelId: 'b' });
    await replaceExamplesOf(db, 'demo-chat-tiny', 'm1', [reply('m1', true)]);
    await replaceExamplesOf(db, 'b', 'm1', [reply('m1', true)]);
    await forgetModel(db, 'demo-chat-tiny');
    expect(await loadAdapter(db, 'demo-chat-tiny')).toBeNull();
    expect(await listExamples(db, 'demo-chat-tiny')).toEqual([]);
    expect(await listExamples(db, 'b')).toHaveLength(1);
    await forgetAll(db);
    expect(await db.count('adapters')).toBe(0);
    expect(await db.count('adapterExamples')).toBe(0);
  });

  it('skips an example it cannot read rather than failing the whole list', async () => {
    const db = await freshDb();
    await replaceExamplesOf(db, 'a', 'm1', [reply('m1', true)], 1);
    await db.put('adapterExamples', { ...ADAPTER_EXAMPLE, key: 'a|bad', modelId: 'a', messageId: 'bad', example: { ...ADAPTER_EXAMPLE.example, topIds: 'AAAA' } });
    expect((await listExamples(db, 'a')).map((e) => e.id)).toEqual(['m1']);
  });
});

describe('adapter records in a backup', () => {
  it('takes well-formed records', () => {
    const plan = planImport([
      ['adapters', [{ key: ADAPTER_JSON.modelId, value: ADAPTER_JSON }]],
      ['adapterExamples', [{ key: ADAPTER_EXAMPLE.key, value: ADAPTER_EXAMPLE }]],
    ]);
    expect(plan).toBeTruthy();
  });

  it.each([
    ['an adapter under another model’s key', 'adapters', 'someone-else', ADAPTER_JSON, /modelId/],
    ['an adapter with a token outside its vocabulary', 'adapters', 'demo-chat-tiny', { ...ADAPTER_JSON, vocabSize: 1 }, /vocabulary/],
    ['an adapter with a non-finite weight', 'adapters', 'demo-chat-tiny', { ...ADAPTER_JSON, v: btoa(String.fromCharCode(0, 0, 0xc0, 0x7f).repeat(4)) }, /not finite/],
    ['an example whose arrays disagree in length', 'adapterExamples', ADAPTER_EXAMPLE.key, { ...ADAPTER_EXAMPLE, example: { ...ADAPTER_EXAMPLE.example, topLogits: 'AAAAAA==' } }, /topLogits/],
    ['an example under the wrong key', 'adapterExamples', 'demo-chat-tiny|x', ADAPTER_EXAMPLE, /key/],
    ['an example with a negative weight', 'adapterExamples', ADAPTER_EXAMPLE.key, { ...ADAPTER_EXAMPLE, example: { ...ADAPTER_EXAMPLE.example, weight: -1 } }, /weight/],
  ])('refuses %s, naming the store and key', (_what, store, key, value, problem) => {
    let error: unknown;
    try {
      planImport([[store, [{ key, value }]]]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadRecordError);
    expect((error as BadRecordError).store).toBe(store);
    expect((error as BadRecordError).message).toMatch(problem);
  });
});
