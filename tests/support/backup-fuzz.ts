/**
 * Seeded backups for the importer's fuzz tests (issue 13 D): `acceptableBackup` makes a file the
 * app must accept — with the odd-but-valid records real use leaves behind (empty replies, failed
 * and stopped ones, zero metrics, untrained scores, versions of a turn, a leaf that is gone) —
 * and `mutate` makes it hostile. The same seed gives the same file, in vitest and in Playwright.
 */
import { mulberry32 } from '../../scripts/onnx/rng';
import { visibleThread } from '../../src/chat/branches';
import type { DonationRecord } from '../../src/donation/donation-store-api';
import type { BackupFile, StoreShape } from '../../src/backup/backup';
import { DB_NAME, DB_VERSION, type Conversation, type StoredMessage } from '../../src/storage/schema';
import { EVERY_FIELD, METRICS, SAMPLING } from './backup-records';

export type Random = () => number;
export { mulberry32 };

const plain = (keyPath: string | null, indexes: Array<[string, string | string[]]> = []): StoreShape => ({
  keyPath, autoIncrement: false, indexes: indexes.map(([name, path]) => ({ name, keyPath: path, unique: false, multiEntry: false })),
});

/** The stores of the current schema, as createBackup describes them (src/storage/db.ts). */
export const APP_SHAPES: Record<string, StoreShape> = {
  conversations: plain('id', [['byUpdatedAt', 'updatedAt']]),
  messages: plain('id', [['byConversation', ['conversationId', 'createdAt']]]),
  settings: plain(null),
  feedback: plain('messageId', [['byConversation', 'conversationId'], ['byUpdatedAt', 'updatedAt']]),
  personalModel: plain(null),
  donations: plain('bundleId', [['byCreatedAt', 'createdAt']]),
};

export const EVIL_COLLECTOR = 'https://collector.evil.example';

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number) => random() < p;

/** Text that is odd but fine: markup, scripts (rendered as text), code, other scripts, emoji, long. */
const ODD_TEXTS = [
  '', ' ', 'plain words', '**bold** and `code`', '<img src=x onerror="alert(1)">', '```js\nalert(1)\n```',
  'שלום עולם', '你好，世界', '🙂👍🏽', 'line one\n\nline two', '[link](javascript:alert(1))', '# Heading\n- a\n- b',
  'long '.repeat(4_000),
];

/** A conversation the app must show once imported: its id, title and the messages on the thread it opens on. */
export interface ExpectedConversation {
  id: string;
  title: string;
  thread: string[];
}

function oddReply(random: Random, id: string, conversationId: string, parentId: string, at: number): StoredMessage {
  const reply: StoredMessage = {
    id, conversationId, parentId, role: 'assistant', content: `${id}: ${pick(random, ODD_TEXTS)}`,
    createdAt: at, updatedAt: at, status: 'complete',
  };
  if (chance(random, 0.2)) Object.assign(reply, { status: 'error', error: pick(random, ['The model ran out of memory.', '']) });
  else if (chance(random, 0.2)) Object.assign(reply, { status: 'partial', stopReason: pick(random, ['user', 'interrupted'] as const) });
  else if (chance(random, 0.2)) reply.stopReason = undefined;
  if (chance(random, 0.6)) {
    // Zero figures, no best-of-N count, or the largest figures the checks allow.
    reply.metrics = pick(random, [
      { ...METRICS },
      { ttftMs: 0, decodeTokensPerSecond: 0, promptTokens: 0, prefillTokens: 0, newTokens: 0, totalMs: 0, backend: 'webgpu', dtype: 'q4f16', droppedTurns: 0 },
      { ...METRICS, ttftMs: 1e12, decodeTokensPerSecond: 1e9, promptTokens: Number.MAX_SAFE_INTEGER },
    ]);
  }
  if (chance(random, 0.4)) Object.assign(reply, { modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8', sampling: { ...SAMPLING } });
  if (chance(random, 0.3)) reply.prompt = '';
  if (chance(random, 0.3)) reply.reward = { ok: pick(random, [0, 0.5, 1]), label: pick(random, ['__ok__', '__not_ok__'] as const), trainingCount: pick(random, [0, 1, 99]) };
  if (chance(random, 0.3)) reply.safety = { unsafe: pick(random, [0, 1]), label: '', flagged: chance(random, 0.5) };
  if (chance(random, 0.2)) reply.isSafetyControlledResponse = true;
  if (chance(random, 0.2)) reply.safetyNote = pick(random, ['', 'The safety filter could not run, so this reply was not checked.']);
  if (chance(random, 0.25)) {
    reply.candidates = [{ text: '', chosen: false, droppedFor: 'unsafe' }, { text: reply.content, chosen: true, reward: { ok: 0, label: '__not_ok__', trainingCount: 0 } }];
    reply.choiceReason = '';
  }
  return reply;
}

/** A file the importer must accept, and what the app must then show. */
export function acceptableBackup(random: Random, tag: string): { file: BackupFile; expected: ExpectedConversation[] } {
  const conversations: Conversation[] = [];
  const messages: StoredMessage[] = [];
  const expected: ExpectedConversation[] = [];
  let clock = 1_700_000_000_000;
  const count = 2 + Math.floor(random() * 3);
  for (let c = 0; c < count; c++) {
    const id = `${tag}-c${c}`;
    const own: StoredMessage[] = [];
    let parent: string | null = null;
    const turns = 1 + Math.floor(random() * 3);
    for (let t = 0; t < turns; t++) {
      const question: StoredMessage = {
        id: `${id}-q${t}`, conversationId: id, parentId: parent, role: 'user', content: `${id}-q${t}: ${pick(random, ODD_TEXTS)}`,
        createdAt: (clock += 1000), updatedAt: clock, status: 'complete',
      };
      own.push(question);
      // Sometimes the reply was regenerated: two versions of the turn.
      const versions = chance(random, 0.25) ? 2 : 1;
      for (let v = 0; v < versions; v++) own.push(oddReply(random, `${id}-a${t}${v ? `-v${v}` : ''}`, id, question.id, (clock += 1000)));
      parent = own.at(-1)!.id;
    }
    // The leaf it shows: the last message, an older version, none yet, or one that is gone.
    const leaf = pick(random, [own.at(-1)!.id, own[1]!.id, null, `${id}-gone`]);
    const conversation: Conversation = {
      id, title: `Fuzz ${id} ${pick(random, ['<b>bold</b>', '🙂', 'שלום', '`x`', 'plain'])}`, createdAt: own[0]!.createdAt,
      updatedAt: clock, systemPrompt: pick(random, ['', 'Be brief.']), currentLeafId: leaf,
    };
    conversations.push(conversation);
    messages.push(...own);
    expected.push({ id, title: conversation.title, thread: visibleThread(own, leaf).map((m) => m.id) });
  }

  const replies = messages.filter((m) => m.role === 'assistant');
  const rated = replies.filter(() => chance(random, 0.3));
  const feedback = rated.map((m) => ({ ...EVERY_FIELD.feedback, messageId: m.id, conversationId: m.conversationId, rating: 'up' as const, reasons: [] }));
  const settings: Array<[string, unknown]> = [['app', chance(random, 0.5) ? { ...EVERY_FIELD.appSettings } : { backend: 'wasm' }]];
  if (chance(random, 0.5)) settings.push(['donation', { enabled: true, endpoint: EVIL_COLLECTOR, declaredTerms: ['Zorblatt'], consentGivenAt: '2024-01-01T00:00:00.000Z' }]);
  if (chance(random, 0.3)) settings.push(['models', EVERY_FIELD.models]);
  const donations: DonationRecord[] = [];
  if (chance(random, 0.5)) {
    const status = pick(random, ['queued', 'sending', 'failed', 'sent', 'withdrawn'] as const);
    donations.push({ ...EVERY_FIELD.donation, bundleId: `${tag}-bundle`, endpoint: EVIL_COLLECTOR, status });
  }

  const record = <T>(key: (value: T) => string) => (value: T) => ({ key: key(value), value });
  const file: BackupFile = {
    format: 'private-chat-backup', formatVersion: 1, database: DB_NAME, schemaVersion: DB_VERSION,
    exportedAt: new Date(clock).toISOString(), shapes: APP_SHAPES,
    stores: {
      conversations: conversations.map(record((c) => c.id)),
      messages: messages.map(record((m) => m.id)),
      feedback: feedback.map(record((f) => f.messageId)),
      settings: settings.map(([key, value]) => ({ key, value })),
      personalModel: chance(random, 0.3) ? [{ key: 'head', value: EVERY_FIELD.head }] : [],
      donations: donations.map(record((d) => d.bundleId)),
    },
  };
  return { file, expected };
}

const HUGE = 'x'.repeat(1_000_001);

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { deeper: value };
  return value;
}

/** Values no record of the app holds where they land (or, by luck, one it does). */
const HOSTILE_VALUES: Array<() => unknown> = [
  () => null, () => '', () => 0, () => -1, () => -0, () => 1e308, () => NaN, () => Infinity, () => -Infinity, () => true,
  () => [], () => ({}), () => HUGE, () => nested(80), () => nested(6), () => new Date(0), () => new Map([[1, 2]]),
  () => new Uint8Array(3), () => 5n, () => undefined, () => [null, {}, [[]]], () => '__proto__',
  () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown,
  () => ({ $backup: 'Date', value: 'not a time' }), () => 'complete', () => 'assistant', () => 'c0',
];

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'extra'];

/** Sets a field the way JSON.parse would (a data property), so `__proto__` is a key, not the prototype. */
function setField(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isContainer(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype);
}

/** Changes one field somewhere inside `value`: replaced by a hostile value, deleted, or a strange key added. */
function mutateInside(random: Random, value: Record<string, unknown>): void {
  let target = value;
  for (let depth = 0; depth < 3; depth++) {
    const keys = Object.keys(target);
    const next = keys.length > 0 ? target[pick(random, keys)] : undefined;
    if (!isContainer(next) || chance(random, 0.4)) break;
    target = next;
  }
  const keys = Object.keys(target);
  const roll = random();
  if (roll < 0.15 && keys.length > 0) delete target[pick(random, keys)];
  else if (roll < 0.3) setField(target, pick(random, HOSTILE_KEYS), pick(random, HOSTILE_VALUES)());
  else if (keys.length > 0) setField(target, pick(random, keys), pick(random, HOSTILE_VALUES)());
}

/** One hostile change to the file: a record's field, a record's key, a whole record, or the file's structure. */
export function mutate(random: Random, file: BackupFile): void {
  const stores = Object.keys(file.stores).filter((name) => (file.stores[name] ?? []).length > 0);
  const roll = random();
  if (roll < 0.05) {
    setField(file, pick(random, ['stores', 'shapes', 'schemaVersion', 'format']), pick(random, HOSTILE_VALUES)());
    return;
  }
  if (roll < 0.1) {
    setField(file.stores, pick(random, [...HOSTILE_KEYS, 'secrets']), [{ key: 'x', value: pick(random, HOSTILE_VALUES)() }]);
    return;
  }
  if (stores.length === 0) return;
  const records = file.stores[pick(random, stores)]!;
  const record = pick(random, records);
  if (roll < 0.2) {
    setField(record, 'key', pick(random, HOSTILE_VALUES)());
  } else if (roll < 0.3) {
    setField(record, 'value', pick(random, HOSTILE_VALUES)());
  } else if (roll < 0.35) {
    records.push({ key: pick(random, ['extra', '__proto__', 'constructor']), value: pick(random, HOSTILE_VALUES)() });
  } else if (isContainer(record.value)) {
    mutateInside(random, record.value);
  }
}

/** A deep copy of a file (structuredClone keeps NaN, Dates, Maps and own `__proto__` keys). */
export function copyFile(file: BackupFile): BackupFile {
  return structuredClone(file);
}
