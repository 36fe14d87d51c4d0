/**
 * Backup import of the generation adapter's two stores (v6): each record is read through the
 * adapter codec, which checks every field and array length, and written back in the codec's own
 * form, so nothing a file adds reaches IndexedDB.
 */
import { adapterFromJson, adapterToJson, ratedReplyFromJson, ratedReplyToJson } from '../../workers/shared/adapter-codec';
import { FieldProblem, MAX_ID_LENGTH, MAX_SHORT_TEXT } from '../storage/field-checks';
import type { ImportPlan } from '../storage/import-plan';
import { exampleKey } from './adapter-storage';

function parsed<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof FieldProblem) throw error;
    throw new FieldProblem('', `a record the app writes (${error instanceof Error ? error.message : String(error)})`);
  }
}

function shortString(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw new FieldProblem(field, `text of 1 to ${max} characters`);
  return value;
}

export function planAdapterRecord(plan: ImportPlan, key: string, value: unknown): void {
  const adapter = parsed(() => adapterFromJson(value));
  if (adapter.modelId !== key) throw new FieldProblem('modelId', `the record's key (${key})`);
  plan.add('adapters', key, adapterToJson(adapter));
}

export function planAdapterExampleRecord(plan: ImportPlan, key: string, value: unknown): void {
  if (typeof value !== 'object' || value === null) throw new FieldProblem('', 'an object');
  const record = value as Record<string, unknown>;
  const modelId = shortString(record.modelId, 'modelId', MAX_SHORT_TEXT);
  const messageId = shortString(record.messageId, 'messageId', MAX_ID_LENGTH);
  const createdAt = record.createdAt;
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt) || createdAt < 0) throw new FieldProblem('createdAt', 'a time');
  const example = parsed(() => ratedReplyFromJson(record.example));
  if (exampleKey(modelId, example.id) !== key) throw new FieldProblem('key', `"${exampleKey(modelId, example.id)}"`);
  plan.add('adapterExamples', key, { key, modelId, messageId, createdAt, example: ratedReplyToJson(example) });
}
