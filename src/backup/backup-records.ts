/**
 * Every record of a backup, store by store, checked field by field before anything is written
 * (backup.ts writes the plan in one transaction). The first bad record stops the import and is
 * named by its store and key. The table below has one entry per store of the schema, so a store
 * added later does not compile until its records are checked too.
 */
import type { StoreNames } from 'idb';
import { planDonationRecord } from '../donation/donation-backup';
import { planAdapterExampleRecord, planAdapterRecord } from '../learning/adapter-backup';
import { HEAD_KEY } from '../reward/head-storage';
import { planSettingsRecord } from './backup-settings';
import { FieldProblem, type Check } from '../storage/field-checks';
import { ImportPlan } from '../storage/import-plan';
import { conversation, feedback, message, personalHead } from './record-checks';
import type { ChatDbSchema } from '../storage/schema';

type Planner = (plan: ImportPlan, key: string, value: unknown) => void;

const copyChecked = (store: string, check: Check<unknown>): Planner => (plan, key, value) => plan.add(store, key, check(value, ''));

const PLANNERS: { readonly [S in StoreNames<ChatDbSchema>]: Planner } = {
  conversations: copyChecked('conversations', conversation),
  messages: copyChecked('messages', message),
  feedback: copyChecked('feedback', feedback),
  personalModel: (plan, key, value) => {
    // The head is the store's only record; nothing reads any other key.
    if (key === HEAD_KEY) plan.add('personalModel', key, personalHead(value, ''));
    else plan.note({ kind: 'unused-record' });
  },
  donations: planDonationRecord,
  settings: planSettingsRecord,
  adapters: planAdapterRecord,
  adapterExamples: planAdapterExampleRecord,
};

/** A record the app cannot take, with where it is and what is wrong. */
export class BadRecordError extends Error {
  override name = 'BadRecordError';
  constructor(readonly store: string, readonly key: unknown, readonly problem: string) {
    super(`${store} ${String(key)}: ${problem}`);
  }
}

export function hasRecordChecks(store: string): boolean {
  return Object.hasOwn(PLANNERS, store);
}

/**
 * The records to write, checked. Throws BadRecordError for the first record that is not what
 * the app writes, and for a key that is not text (every store of the app is keyed by text).
 */
export function planImport(stores: Iterable<[string, Iterable<{ key: unknown; value: unknown }>]>): ImportPlan {
  const plan = new ImportPlan();
  for (const [store, records] of stores) {
    if (!hasRecordChecks(store)) throw new BadRecordError(store, '', 'this version of the app cannot check these records');
    const planner = PLANNERS[store as StoreNames<ChatDbSchema>];
    for (const { key, value } of records) {
      if (typeof key !== 'string') throw new BadRecordError(store, key, 'its key is not text');
      try {
        planner(plan, key, value);
      } catch (error) {
        if (error instanceof FieldProblem) throw new BadRecordError(store, key, error.message);
        throw error;
      }
    }
  }
  return plan;
}
