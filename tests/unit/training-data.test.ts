/**
 * The shared training-data module (src/training-data): the three mappers over hand-built
 * normalised conversations, the bundle adapter, and what the module may import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DonationBundle } from '../../src/donation/bundle-types';
import { bb3xRecord } from '../../src/training-data/bb3x';
import { ratedAlong, trainingFeedback } from '../../src/training-data/build';
import { dpoRecords } from '../../src/training-data/dpo';
import { bundleConversations } from '../../src/training-data/from-bundle';
import { ktoRecords } from '../../src/training-data/kto';
import type { ReplyTurn, TrainingConversation, TrainingFeedback, Turn, UserTurn } from '../../src/training-data/thread';
import { rewardVerdict, safetyVerdict } from '../../src/training-data/verdicts';

const MODULE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/training-data');

const user = (text: string): UserTurn => ({ role: 'user', text });
const reply = (text: string, turn: string, extra: Partial<ReplyTurn> = {}): ReplyTurn => ({
  role: 'assistant', text, isSafetyControlledResponse: false, reward: null, safety: null, feedback: null, turn, ...extra,
});
const up: TrainingFeedback = { rating: 'up', reasons: [], comment: '', betterResponse: '' };
const down = (extra: Partial<TrainingFeedback> = {}): TrainingFeedback => ({ rating: 'down', reasons: [], comment: '', betterResponse: '', ...extra });

/** A conversation whose rated replies all lie on the thread shown. */
function flat(id: string, shown: Turn[]): TrainingConversation {
  return { id, shown, rated: ratedAlong(shown) };
}

const json = (role: string, content: string) => ({ role, content });

describe('KTO mapper', () => {
  it('writes one record per rated reply, in order, with the turns before it and the thumb as label', () => {
    const conversation = flat('c', [user('Q1'), reply('A1', 'q1', { feedback: up }), user('Q2'), reply('A2', 'q2'), user('Q3'), reply('A3', 'q3', { feedback: down() })]);
    const records = [...ktoRecords(conversation)];
    expect(records).toStrictEqual([
      { prompt: [json('user', 'Q1')], completion: [json('assistant', 'A1')], label: true },
      {
        prompt: [json('user', 'Q1'), json('assistant', 'A1'), json('user', 'Q2'), json('assistant', 'A2'), json('user', 'Q3')],
        completion: [json('assistant', 'A3')],
        label: false,
      },
    ]);
    // Field order is part of the file format.
    expect(Object.keys(records[0]!)).toEqual(['prompt', 'completion', 'label']);
  });
});

describe('DPO mapper', () => {
  it('pairs a disliked reply with "what it should have said", then liked against disliked versions of one turn', () => {
    const before = [user('Q')];
    const conversation: TrainingConversation = {
      id: 'c',
      shown: [],
      rated: [
        { before, reply: { ...reply('Bad', 'q'), feedback: down({ betterResponse: 'Better' }) } },
        { before, reply: { ...reply('Good', 'q'), feedback: up } },
        { before, reply: { ...reply('Also good', 'q'), feedback: { ...up, betterResponse: 'left over from a thumbs-down' } } },
        { before: [user('Other')], reply: { ...reply('Lonely', 'other'), feedback: down({ betterResponse: '  ' }) } },
      ],
    };
    const records = [...dpoRecords(conversation)];
    expect(records).toStrictEqual([
      { prompt: [json('user', 'Q')], chosen: [json('assistant', 'Better')], rejected: [json('assistant', 'Bad')] },
      { prompt: [json('user', 'Q')], chosen: [json('assistant', 'Good')], rejected: [json('assistant', 'Bad')] },
      { prompt: [json('user', 'Q')], chosen: [json('assistant', 'Also good')], rejected: [json('assistant', 'Bad')] },
    ]);
    expect(Object.keys(records[0]!)).toEqual(['prompt', 'chosen', 'rejected']);
  });

  it('never pairs replies to different turns, or versions rated the same', () => {
    const conversation: TrainingConversation = {
      id: 'c',
      shown: [],
      rated: [
        { before: [user('Q1')], reply: { ...reply('A', 'q1'), feedback: up } },
        { before: [user('Q2')], reply: { ...reply('B', 'q2'), feedback: down() } },
        { before: [user('Q2')], reply: { ...reply('C', 'q2'), feedback: down() } },
      ],
    };
    expect([...dpoRecords(conversation)]).toEqual([]);
  });
});

describe('BB3x mapper', () => {
  it('writes the thread shown with exactly the BB3x fields; ratings, verdicts and marks on replies only', () => {
    const conversation = flat('conv-1', [
      user('Hi'),
      reply('Hello', 'u', { feedback: up, reward: { label: '__ok__', probability: 0.7 }, safety: { label: '__safe__', probability: 0.9 } }),
      user('Rude?'),
      reply('Changed topic', 'u2', { isSafetyControlledResponse: true, feedback: down({ reasons: ['rude', 'off-topic'] }) }),
    ]);
    const record = bb3xRecord(conversation, 'pseudonym');
    expect(Object.keys(record!)).toEqual(['conversation_id', 'user_id', 'message_history']);
    expect(record).toStrictEqual({
      conversation_id: 'conv-1',
      user_id: 'pseudonym',
      message_history: [
        { text: 'Hi', sender: 'human', isLiked: false, isDisliked: false, dislike_type: null, isSafetyControlledResponse: false, reward: null, safety: null },
        { text: 'Hello', sender: 'bot', isLiked: true, isDisliked: false, dislike_type: null, isSafetyControlledResponse: false, reward: { label: '__ok__', probability: 0.7 }, safety: { label: '__safe__', probability: 0.9 } },
        { text: 'Rude?', sender: 'human', isLiked: false, isDisliked: false, dislike_type: null, isSafetyControlledResponse: false, reward: null, safety: null },
        // The first reason in taxonomy order, whatever order the list is in.
        { text: 'Changed topic', sender: 'bot', isLiked: false, isDisliked: true, dislike_type: 'off_topic', isSafetyControlledResponse: true, reward: null, safety: null },
      ],
    });
    expect(Object.keys(record!.message_history[1]!)).toEqual(['text', 'sender', 'isLiked', 'isDisliked', 'dislike_type', 'isSafetyControlledResponse', 'reward', 'safety']);
  });

  it('copies only label and probability from a verdict, and writes no record for a conversation that shows nothing', () => {
    const verdict = { label: '__ok__', probability: 0.6, trainingCount: 3 };
    const record = bb3xRecord(flat('c', [user('Q'), reply('A', 'q', { reward: verdict })]), 'p');
    expect(record!.message_history[1]!.reward).toStrictEqual({ label: '__ok__', probability: 0.6 });
    expect(bb3xRecord(flat('empty', []), 'p')).toBeUndefined();
  });
});

describe('shared building rules', () => {
  it('feedback: reasons in taxonomy order on a thumbs-down only, blank texts become empty', () => {
    expect(trainingFeedback({ rating: 'down', reasons: ['other', 'rude', 'rude'], comment: '  ', betterResponse: 'Better' })).toStrictEqual({
      rating: 'down', reasons: ['rude', 'other'], comment: '', betterResponse: 'Better',
    });
    expect(trainingFeedback({ rating: 'up', reasons: ['rude'] })).toStrictEqual({ rating: 'up', reasons: [], comment: '', betterResponse: '' });
  });

  it('verdicts: the probability of the label given, as BB3x writes it', () => {
    expect(rewardVerdict({ ok: 0.8, label: '__ok__', trainingCount: 1 })).toEqual({ label: '__ok__', probability: 0.8 });
    expect(rewardVerdict({ ok: 0.25, label: '__not_ok__', trainingCount: 1 })).toEqual({ label: '__not_ok__', probability: 0.75 });
    expect(safetyVerdict({ unsafe: 0.9, label: 'toxic', flagged: true })).toEqual({ label: '__unsafe__', probability: 0.9 });
    expect(safetyVerdict({ unsafe: 0.25, label: 'toxic', flagged: false })).toEqual({ label: '__safe__', probability: 0.75 });
  });
});

describe('bundle adapter', () => {
  const bundle = {
    bundleId: '7b0c3f7e-3a44-4d0e-9d0a-5d3c4f1f2b61',
    donor: 'donor-0123456789abcdef',
    conversations: [
      {
        id: 'c1',
        messages: [
          { id: 'm1', role: 'user', text: 'Q1' },
          { id: 'm2', role: 'assistant', text: 'A1', reward: { label: '__ok__', probability: 0.9 }, feedback: { rating: 'down', reasons: ['spam'], betterResponse: 'B1' } },
          { id: 'm3', role: 'user', text: 'Q2' },
          // Never in a bundle the app builds, but the schema allows it: a blank message is no turn.
          { id: 'm4', role: 'assistant', text: ' ', feedback: { rating: 'down', reasons: [] } },
          { id: 'm5', role: 'user', text: 'Q3' },
          { id: 'm6', role: 'assistant', text: 'A3', isSafetyControlledResponse: true, feedback: { rating: 'up', reasons: [] } },
        ],
      },
      { id: 'c2', messages: [{ id: 'm7', role: 'user', text: 'Alone' }] },
    ],
  } as unknown as DonationBundle;

  it('names each conversation by bundle and local id, drops blank messages, and finds the rated replies on the thread', () => {
    const [first, second] = bundleConversations(bundle);
    expect(first!.id).toBe(`${bundle.bundleId}:c1`);
    expect(first!.shown.map((t) => t.text)).toEqual(['Q1', 'A1', 'Q2', 'Q3', 'A3']);
    expect(first!.rated.map((r) => [r.before.map((t) => t.text), r.reply.text])).toEqual([
      [['Q1'], 'A1'],
      [['Q1', 'A1', 'Q2', 'Q3'], 'A3'],
    ]);
    expect(first!.rated[0]!.reply).toMatchObject({ reward: { label: '__ok__', probability: 0.9 }, feedback: { rating: 'down', reasons: ['spam'], comment: '', betterResponse: 'B1' } });
    // Each reply is a turn of its own: a bundle holds no other versions to pair.
    expect(new Set(first!.rated.map((r) => r.reply.turn)).size).toBe(2);
    expect(second).toStrictEqual({ id: `${bundle.bundleId}:c2`, shown: [user('Alone')], rated: [] });
  });
});

describe('what the shared module may depend on', () => {
  it('imports only types and pure helpers: no IndexedDB, DOM, Node API, storage or chat code', () => {
    const files = readdirSync(MODULE_DIR).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      // Comments may name what the code must not use; only the code is checked.
      const source = readFileSync(path.join(MODULE_DIR, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      const imports = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
      for (const specifier of imports) {
        const allowed = specifier.startsWith('./') || ['../feedback/taxonomy', '../donation/bundle-types', '../../workers/shared/reward-protocol'].includes(specifier);
        expect(allowed, `${file} imports ${specifier}`).toBe(true);
      }
      expect(source, file).not.toMatch(/\b(indexedDB|IDBKeyRange|window|document|process|Buffer|require)\b/);
    }
  });
});
