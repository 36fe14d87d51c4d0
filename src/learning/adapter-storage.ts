/**
 * The personal generation adapter in IndexedDB (v6): one adapter per chat model (`adapters`,
 * keyed by the model's id) and the rated replies it learns from (`adapterExamples`), both in the
 * JSON form of `adapter-codec.ts`, which the backup copies as it is.
 */
import {
  adapterFromJson,
  adapterToJson,
  ratedReplyFromJson,
  ratedReplyToJson,
} from '../../workers/shared/adapter-codec';
import type { LogitAdapterState, RatedReply } from '../../workers/shared/learning-protocol';
import type { ChatDb } from '../storage/db';

export function exampleKey(modelId: string, exampleId: string): string {
  return `${modelId}|${exampleId}`;
}

/** The adapter stored for `modelId`, or null (none yet, or one this version cannot read). */
export async function loadAdapter(db: ChatDb, modelId: string): Promise<LogitAdapterState | null> {
  const json = await db.get('adapters', modelId);
  if (!json) return null;
  try {
    return adapterFromJson(json);
  } catch {
    return null;
  }
}

export async function saveAdapter(db: ChatDb, adapter: LogitAdapterState): Promise<void> {
  await db.put('adapters', adapterToJson(adapter), adapter.modelId);
}

/**
 * Replaces what `modelId`'s adapter learns from message `messageId` (its reply, and what it should
 * have said) with `examples`, in one transaction: a changed rating never leaves a stale example.
 */
export async function replaceExamplesOf(db: ChatDb, modelId: string, messageId: string, examples: readonly RatedReply[], now = Date.now()): Promise<void> {
  const tx = db.transaction('adapterExamples', 'readwrite');
  for (let cursor = await tx.store.index('byMessage').openCursor(messageId); cursor; cursor = await cursor.continue()) {
    if (cursor.value.modelId === modelId) await cursor.delete();
  }
  for (const example of examples) {
    await tx.store.put({ key: exampleKey(modelId, example.id), modelId, messageId, createdAt: now, example: ratedReplyToJson(example) });
  }
  await tx.done;
}

/** Every example of `modelId`, oldest first; a record that cannot be read is skipped. */
export async function listExamples(db: ChatDb, modelId: string, vocabSize?: number): Promise<RatedReply[]> {
  const records = await db.getAllFromIndex('adapterExamples', 'byModel', modelId);
  records.sort((a, b) => a.createdAt - b.createdAt || (a.key < b.key ? -1 : 1));
  const out: RatedReply[] = [];
  for (const record of records) {
    try {
      out.push(ratedReplyFromJson(record.example, vocabSize));
    } catch {
      // A record this version cannot read is left out, not fatal: the rest still teach the adapter.
    }
  }
  return out;
}

/** Deletes the examples of these rated messages, for every model; resolves with the models that lost one. */
export async function deleteExamplesOf(db: ChatDb, messageIds: readonly string[]): Promise<Set<string>> {
  const tx = db.transaction('adapterExamples', 'readwrite');
  const index = tx.store.index('byMessage');
  const models = new Set<string>();
  for (const messageId of messageIds) {
    for (let cursor = await index.openCursor(messageId); cursor; cursor = await cursor.continue()) {
      models.add(cursor.value.modelId);
      await cursor.delete();
    }
  }
  await tx.done;
  return models;
}

/** Forgets everything learned for `modelId`: its adapter and examples, in one transaction. */
export async function forgetModel(db: ChatDb, modelId: string): Promise<void> {
  const tx = db.transaction(['adapters', 'adapterExamples'], 'readwrite');
  await tx.objectStore('adapters').delete(modelId);
  const index = tx.objectStore('adapterExamples').index('byModel');
  for (let cursor = await index.openCursor(modelId); cursor; cursor = await cursor.continue()) await cursor.delete();
  await tx.done;
}

/** Forgets everything learned for every model (all feedback was cleared). */
export async function forgetAll(db: ChatDb): Promise<void> {
  const tx = db.transaction(['adapters', 'adapterExamples'], 'readwrite');
  await Promise.all([tx.objectStore('adapters').clear(), tx.objectStore('adapterExamples').clear(), tx.done]);
}
