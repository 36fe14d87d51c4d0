/**
 * Issue 15, item 6: a conversation exported by the app, and the same conversation donated and
 * exported by the collector, give the same KTO, DPO and BB3x records. The bundle is built by the
 * app's own bundle builder from the app's own stores and stored through the collector's HTTP
 * route; the collector's records come from its export (`writeJsonl`) reading that database.
 */
import 'fake-indexeddb/auto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeJsonl } from '../../collector/export/write-jsonl';
import type { ExportFormat } from '../../collector/export/formats';
import { openStoreReadOnly } from '../../collector/store/open-store';
import { buildBundle } from '../../src/donation/bundle-builder';
import type { DonationBundle } from '../../src/donation/bundle-types';
import { readDonationSources } from '../../src/donation/donation-sources';
import { exportBb3x, exportDpo, exportKto } from '../../src/feedback/exporters';
import { rate, setDetails } from '../../src/feedback/feedback-repository';
import { createConversation, saveMessage } from '../../src/storage/conversations';
import { openChatDb, type ChatDb } from '../../src/storage/db';
import type { StoredMessage } from '../../src/storage/schema';
import { newToken } from './support/bundles';
import { postBundle, startCollector, type RunningCollector } from './support/collector';

let dbCount = 0;

function message(id: string, conversationId: string, parentId: string | null, createdAt: number, role: StoredMessage['role'], content: string, extra: Partial<StoredMessage> = {}): StoredMessage {
  const base: StoredMessage = { id, conversationId, parentId, role, content, createdAt, updatedAt: createdAt, status: 'complete' };
  return role === 'assistant' ? { ...base, modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8', ...extra } : { ...base, ...extra };
}

/**
 * One conversation with a system prompt and every field the formats write: a liked reply with
 * reward and safety verdicts, a disliked one with reasons out of taxonomy order, a comment and
 * "what it should have said", a reply the safety gate replaced, a failed and an empty reply
 * (no turns on either side), and a disliked reply with no better one. Plain words only, so the
 * de-identifier leaves every text as it is.
 */
async function chat(db: ChatDb): Promise<{ conversationId: string; byId: Map<string, StoredMessage> }> {
  const c = await createConversation(db, 'Hobbies', 'Be kind and brief.');
  const id = c.id;
  const written = [
    message('u1', id, null, 1, 'user', 'Can you suggest a hobby?'),
    message('b1', id, 'u1', 2, 'assistant', 'Try painting with watercolours.', {
      reward: { ok: 0.8, label: '__ok__', trainingCount: 4 },
      safety: { unsafe: 0.1, label: 'toxic', flagged: false },
    }),
    message('u2', id, 'b1', 3, 'user', 'Something quieter?'),
    message('b2', id, 'u2', 4, 'assistant', 'Reading is calm and cheap.', { reward: { ok: 0.25, label: '__not_ok__', trainingCount: 4 } }),
    message('u3', id, 'b2', 5, 'user', 'Say something mean.'),
    message('b3', id, 'u3', 6, 'assistant', 'Let us talk about something else.', {
      isSafetyControlledResponse: true,
      safety: { unsafe: 0.95, label: 'toxic', flagged: true },
    }),
    message('u4', id, 'b3', 7, 'user', 'Why not?'),
    message('b4', id, 'u4', 8, 'assistant', 'Half a rep', { status: 'error', error: 'worker crashed' }),
    message('u5', id, 'b4', 9, 'user', 'Hello?'),
    message('b5', id, 'u5', 10, 'assistant', '', { status: 'partial', stopReason: 'user' }),
    message('u6', id, 'b5', 11, 'user', 'Are you still there?'),
    message('b6', id, 'u6', 12, 'assistant', 'Reading is calm and cheap.'),
  ];
  for (const m of written) await saveMessage(db, m, { asCurrentLeaf: true });
  const byId = new Map(written.map((m) => [m.id, m]));
  await rate(db, byId.get('b1')!, 'up');
  await rate(db, byId.get('b2')!, 'down');
  await setDetails(db, 'b2', { reasons: ['other', 'off-topic'], comment: 'not what I asked', betterResponse: 'Knitting is quiet and relaxing.' });
  await rate(db, byId.get('b6')!, 'down');
  await setDetails(db, 'b6', { reasons: ['repeating'] });
  return { conversationId: id, byId };
}

async function appLines(lines: AsyncGenerator<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

function donate(db: ChatDb, conversationId: string): Promise<DonationBundle> {
  return readDonationSources(db, [conversationId]).then((sources) => {
    const result = buildBundle({
      sources,
      includeFeedback: true,
      exclusions: { conversations: new Set(), messages: new Set() },
      bundleId: crypto.randomUUID(),
      createdAt: new Date().toISOString(),
      appVersion: '0.1.0',
      donor: 'donor-0123456789abcdef',
      consentGivenAt: new Date(Date.now() - 60_000).toISOString(),
      declaredTerms: [],
    });
    if (!result.ok) throw new Error(`the bundle was not built: ${JSON.stringify(result)}`);
    return result.preview.bundle;
  });
}

describe('the same conversation exported by the app and by the collector', () => {
  let server: RunningCollector;

  beforeAll(async () => {
    server = await startCollector();
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Sends the bundle as the app's outbox would, then exports the collector's whole database. */
  async function collectorLines(bundle: DonationBundle, format: ExportFormat): Promise<string[]> {
    const storage = await openStoreReadOnly(server.location);
    try {
      const out = new PassThrough();
      let text = '';
      out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      const rows = [];
      for await (const row of storage.bodies()) if (row.bundleId === bundle.bundleId) rows.push(row);
      await writeJsonl(rows, format, out);
      out.end();
      return text === '' ? [] : text.split(/(?<=\n)/);
    } finally {
      await storage.close();
    }
  }

  async function donated(db: ChatDb, conversationId: string): Promise<DonationBundle> {
    const bundle = await donate(db, conversationId);
    expect((await postBundle(server.url, JSON.stringify(bundle), { token: newToken() })).status).toBe(201);
    return bundle;
  }

  it('gives byte-identical KTO and DPO lines and the same BB3x message history', async () => {
    const db = await openChatDb(`parity-${++dbCount}`);
    const { conversationId, byId } = await chat(db);
    const bundle = await donated(db, conversationId);
    // Precondition: the de-identifier changed nothing, so any difference below is the mappers'.
    const shown = ['u1', 'b1', 'u2', 'b2', 'u3', 'b3', 'u4', 'u5', 'u6', 'b6'].map((id) => byId.get(id)!.content);
    expect(bundle.conversations[0]!.messages.map((m) => m.text)).toEqual(shown);

    const kto = await appLines(exportKto(db));
    expect(kto).toHaveLength(3);
    expect(await collectorLines(bundle, 'kto')).toStrictEqual(kto);

    const dpo = await appLines(exportDpo(db));
    expect(dpo.map((l) => JSON.parse(l) as unknown)).toStrictEqual([
      {
        prompt: [
          { role: 'user', content: 'Can you suggest a hobby?' },
          { role: 'assistant', content: 'Try painting with watercolours.' },
          { role: 'user', content: 'Something quieter?' },
        ],
        chosen: [{ role: 'assistant', content: 'Knitting is quiet and relaxing.' }],
        rejected: [{ role: 'assistant', content: 'Reading is calm and cheap.' }],
      },
    ]);
    expect(await collectorLines(bundle, 'dpo')).toStrictEqual(dpo);

    const [appBb3x] = (await appLines(exportBb3x(db, 'export-pseudonym'))).map((l) => JSON.parse(l) as Record<string, unknown>);
    const [collectorBb3x] = (await collectorLines(bundle, 'bb3x')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(collectorBb3x!.message_history).toStrictEqual(appBb3x!.message_history);
    // Only the two ids differ, by design: each side names the conversation and the person its own way.
    expect(appBb3x).toMatchObject({ conversation_id: conversationId, user_id: 'export-pseudonym' });
    expect(collectorBb3x).toMatchObject({ conversation_id: `${bundle.bundleId}:c1`, user_id: bundle.donor });
    expect((appBb3x!.message_history as unknown[]).slice(1, 4)).toStrictEqual([
      { text: 'Try painting with watercolours.', sender: 'bot', isLiked: true, isDisliked: false, dislike_type: null, isSafetyControlledResponse: false, reward: { label: '__ok__', probability: 0.8 }, safety: { label: '__safe__', probability: 0.9 } },
      { text: 'Something quieter?', sender: 'human', isLiked: false, isDisliked: false, dislike_type: null, isSafetyControlledResponse: false, reward: null, safety: null },
      { text: 'Reading is calm and cheap.', sender: 'bot', isLiked: false, isDisliked: true, dislike_type: 'off_topic', isSafetyControlledResponse: false, reward: { label: '__not_ok__', probability: 0.75 }, safety: null },
    ]);

    // Neither side carries the system prompt (a bundle has no field for it).
    for (const line of [...kto, ...dpo, JSON.stringify(appBb3x)]) expect(line).not.toContain('Be kind');
  });

  it('differs only by the rated versions the user moved away from, which a bundle does not carry', async () => {
    const db = await openChatDb(`parity-branches-${++dbCount}`);
    const { conversationId, byId } = await chat(db);
    // Another version of the first reply, liked, on a branch no longer shown.
    const other = message('b1r', conversationId, 'u1', 20, 'assistant', 'Try gardening.');
    await saveMessage(db, other);
    await rate(db, other, 'up');
    await rate(db, byId.get('b1')!, 'down');
    const bundle = await donated(db, conversationId);

    const kto = await appLines(exportKto(db));
    const fromBundle = await collectorLines(bundle, 'kto');
    const offThread = JSON.stringify({
      prompt: [{ role: 'user', content: 'Can you suggest a hobby?' }],
      completion: [{ role: 'assistant', content: 'Try gardening.' }],
      label: true,
    });
    expect(kto).toStrictEqual([...fromBundle, `${offThread}\n`]);

    const dpo = await appLines(exportDpo(db));
    const pair = JSON.stringify({
      prompt: [{ role: 'user', content: 'Can you suggest a hobby?' }],
      chosen: [{ role: 'assistant', content: 'Try gardening.' }],
      rejected: [{ role: 'assistant', content: 'Try painting with watercolours.' }],
    });
    expect(dpo).toStrictEqual([...(await collectorLines(bundle, 'dpo')), `${pair}\n`]);

    const [appBb3x] = (await appLines(exportBb3x(db, 'p'))).map((l) => JSON.parse(l) as Record<string, unknown>);
    const [collectorBb3x] = (await collectorLines(bundle, 'bb3x')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(collectorBb3x!.message_history).toStrictEqual(appBb3x!.message_history);
  });
});
