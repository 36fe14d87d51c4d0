import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { buildBundle, MAX_TEXT_CHARS, type BuildRequest, type BuildResult } from '../../../src/donation/bundle-builder';
import type { DonationBundle } from '../../../src/donation/bundle-types';
import { readDonationSources, listDonationCandidates } from '../../../src/donation/donation-sources';
import { segmentPreview } from '../../../src/donation/preview';
import { checkBundle } from '../../../src/donation/validate-bundle';
import { saveMessage, updateConversation } from '../../../src/storage/conversations';
import { openChatDb, type ChatDb } from '../../../src/storage/db';
import { message, rateReply, writeConversation, writeOtherVersion } from './support';

let count = 0;
const freshDb = () => openChatDb(`donation-builder-${++count}`);

function requestFor(sources: BuildRequest['sources'], overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    sources,
    includeFeedback: true,
    exclusions: { conversations: new Set(), messages: new Set() },
    bundleId: crypto.randomUUID(),
    createdAt: '2024-06-01T12:00:00.000Z',
    appVersion: '0.1.0',
    donor: 'donor-0123456789abcdef',
    consentGivenAt: '2024-05-01T10:00:00.000Z',
    declaredTerms: [],
    ...overrides,
  };
}

function built(result: BuildResult) {
  if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result)}`);
  return result;
}

const texts = (bundle: DonationBundle) => bundle.conversations.map((c) => c.messages.map((m) => m.text));

/** Two conversations: one with a regenerated reply, a failed reply and feedback; one short. */
async function seedChat(db: ChatDb) {
  const trip = await writeConversation(db, 'Trip planning for Lisbon', [
    { user: 'Where should I eat tonight?', bot: 'Try the seafood place by the river.', botExtra: { reward: { ok: 0.8, label: '__ok__', trainingCount: 3 }, safety: { unsafe: 0.1, label: 'toxic', flagged: false } } },
    { user: 'Something cheaper?', bot: 'A bakery does good sandwiches.', botExtra: { modelId: 'other-model', reward: { ok: 0.3, label: '__not_ok__', trainingCount: 3 } } },
    { user: 'Thanks!', bot: 'Let us talk about something else.', botExtra: { isSafetyControlledResponse: true, safety: { unsafe: 0.9, label: 'toxic', flagged: true } } },
  ]);
  const [, firstReply, , secondReply, , lastReply] = trip.messages;
  // A regenerated version of the first reply the user is not looking at.
  const hidden = await writeOtherVersion(db, firstReply!, 'HIDDEN BRANCH: go to the fancy place.');
  // A reply that failed after the last one, and an empty one: neither reached the user.
  const failed = message(trip.id, lastReply!.id, 'user', 'FAILED TURN');
  await saveMessage(db, failed);
  await saveMessage(db, message(trip.id, failed.id, 'assistant', '', { status: 'partial', stopReason: 'user' }));
  await saveMessage(db, { ...message(trip.id, lastReply!.id, 'assistant', 'ERROR TEXT', { status: 'error', error: 'worker crashed' }) });
  await rateReply(db, secondReply!, 'down', { reasons: ['off-topic', 'other'], comment: 'too vague', betterResponse: '' });
  await rateReply(db, firstReply!, 'up');
  const short = await writeConversation(db, 'Quick question', [{ user: 'What is 2+2?', bot: '4' }]);
  return { trip, short, hidden };
}

describe('bundle builder', () => {
  it('builds a valid bundle of the threads shown, with bundle-local ids and nothing that identifies the device', async () => {
    const db = await freshDb();
    const { trip, short, hidden } = await seedChat(db);
    const sources = await readDonationSources(db, [trip.id, short.id]);
    const request = requestFor(sources);
    const { preview } = built(buildBundle(request));
    const { bundle, json } = preview;

    expect(checkBundle(JSON.parse(json))).toEqual({ ok: true, bundle: JSON.parse(json) });
    expect(json).toBe(JSON.stringify(bundle, null, 2));
    expect(bundle).toMatchObject({
      schemaVersion: 1,
      bundleId: request.bundleId,
      createdAt: request.createdAt,
      appVersion: '0.1.0',
      donor: 'donor-0123456789abcdef',
      modelId: 'demo-chat-tiny',
      consent: { textVersion: 'donation-consent-1', givenAt: '2024-05-01T10:00:00.000Z', scope: { includesFeedback: true, conversationCount: 2 } },
    });
    // Only the thread the user looked at, without the failed, empty and hidden messages.
    expect(texts(bundle)).toEqual([
      ['Where should I eat tonight?', 'Try the seafood place by the river.', 'Something cheaper?', 'A bakery does good sandwiches.', 'Thanks!', 'Let us talk about something else.'],
      ['What is 2+2?', '4'],
    ]);
    expect(bundle.conversations.map((c) => [c.id, c.messages.map((m) => m.id)])).toEqual([
      ['c1', ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']],
      ['c2', ['m7', 'm8']],
    ]);
    for (const secret of [hidden.content, 'FAILED TURN', 'ERROR TEXT', 'Trip planning', 'Quick question', trip.id, short.id]) expect(json).not.toContain(secret);
    for (const m of [...trip.messages, ...short.messages]) {
      expect(json).not.toContain(m.id);
      expect(json).not.toContain(String(m.createdAt));
      expect(json).not.toContain(new Date(m.createdAt).toISOString());
    }
  });

  it('carries each reply\'s model, safety control, reward, safety verdict and feedback', async () => {
    const db = await freshDb();
    const { trip } = await seedChat(db);
    const { bundle } = built(buildBundle(requestFor(await readDonationSources(db, [trip.id])))).preview;
    const [q1, a1, , a2, , a3] = bundle.conversations[0]!.messages;
    expect(q1).toEqual({ id: 'm1', role: 'user', text: 'Where should I eat tonight?' });
    expect(a1).toEqual({
      id: 'm2', role: 'assistant', text: 'Try the seafood place by the river.', modelId: 'demo-chat-tiny', isSafetyControlledResponse: false,
      reward: { label: '__ok__', probability: 0.8 }, safety: { label: '__safe__', probability: 0.9 }, feedback: { rating: 'up', reasons: [] },
    });
    expect(a2).toMatchObject({ modelId: 'other-model', reward: { label: '__not_ok__', probability: 0.7 }, feedback: { rating: 'down', reasons: ['off-topic', 'other'], comment: 'too vague' } });
    expect(a2!.feedback).not.toHaveProperty('betterResponse');
    expect(a3).toMatchObject({ isSafetyControlledResponse: true, safety: { label: '__unsafe__', probability: 0.9 } });
  });

  it('names a model imported from a folder only as "imported": the folder name may hold the user\'s own name', async () => {
    const db = await freshDb();
    const chat = await writeConversation(db, 'Local model', [{ user: 'Hi', bot: 'Hello', botExtra: { modelId: 'imported/jane-smith-finetune' } }]);
    const { bundle } = built(buildBundle(requestFor(await readDonationSources(db, [chat.id])))).preview;
    expect(bundle.modelId).toBe('imported');
    expect(bundle.conversations[0]!.messages[1]!.modelId).toBe('imported');
    expect(JSON.stringify(bundle)).not.toContain('jane');
  });

  it('replaces e-mail addresses and phone numbers everywhere with placeholders that stay consistent across the bundle', async () => {
    const db = await freshDb();
    const first = await writeConversation(db, 'Contact', [
      { user: 'My address is jane.doe@example.com and my number is +1 415-555-0132.', bot: 'Noted, I will not share jane.doe@example.com.' },
    ]);
    const second = await writeConversation(db, 'Again', [{ user: 'Write to bob@example.org please', bot: 'Sure.' }]);
    await rateReply(db, first.messages[1]!, 'down', {
      reasons: ['rude'],
      comment: 'Do not repeat jane.doe@example.com!',
      betterResponse: 'Call +1 415-555-0132 or mail bob@example.org instead.',
    });

    const { preview } = built(buildBundle(requestFor(await readDonationSources(db, [first.id, second.id]))));
    const { bundle, json } = preview;
    for (const pii of ['jane.doe@example.com', 'bob@example.org', '415-555-0132', '555']) expect(json).not.toContain(pii);
    const [c1, c2] = bundle.conversations;
    expect(c1!.messages[0]!.text).toBe('My address is [EMAIL_1] and my number is [PHONE_1].');
    expect(c1!.messages[1]!.text).toBe('Noted, I will not share [EMAIL_1].');
    expect(c1!.messages[1]!.feedback).toEqual({ rating: 'down', reasons: ['rude'], comment: 'Do not repeat [EMAIL_1]!', betterResponse: 'Call [PHONE_1] or mail [EMAIL_2] instead.' });
    expect(c2!.messages[0]!.text).toBe('Write to [EMAIL_2] please');
    expect(bundle.deidentification).toEqual({ method: 'feedback-chat-deid', methodVersion: '2', counts: { EMAIL: 5, PHONE: 2 } });
  });

  it('redacts the user\'s declared terms', async () => {
    const db = await freshDb();
    const chat = await writeConversation(db, 'Work', [{ user: 'I work at Zorblatt Industries.', bot: 'Zorblatt Industries sounds fun.' }]);
    const { bundle } = built(buildBundle(requestFor(await readDonationSources(db, [chat.id]), { declaredTerms: ['Zorblatt Industries'] }))).preview;
    expect(texts(bundle)).toEqual([['I work at [DECLARED_TERM_1].', '[DECLARED_TERM_1] sounds fun.']]);
  });

  it('leaves all feedback out when asked, including the text written in it', async () => {
    const db = await freshDb();
    const chat = await writeConversation(db, 'F', [{ user: 'Hi', bot: 'Hello' }]);
    await rateReply(db, chat.messages[1]!, 'down', { reasons: ['nonsensical'], comment: 'SECRET COMMENT', betterResponse: 'SECRET BETTER' });
    const { preview } = built(buildBundle(requestFor(await readDonationSources(db, [chat.id]), { includeFeedback: false })));
    expect(preview.json).not.toContain('"feedback"');
    expect(preview.json).not.toContain('SECRET');
    expect(preview.bundle.consent.scope.includesFeedback).toBe(false);
    expect(checkBundle(preview.bundle).ok).toBe(true);
  });

  it('rebuilds without removed items: renumbered ids and placeholders, counts of what is left, same bundle id and time', async () => {
    const db = await freshDb();
    const first = await writeConversation(db, 'A', [{ user: 'Mail ann@example.com', bot: 'ok' }]);
    const second = await writeConversation(db, 'B', [
      { user: 'Mail bea@example.com', bot: 'ok' },
      { user: 'and cat@example.com', bot: 'done' },
    ]);
    const sources = await readDonationSources(db, [first.id, second.id]);
    const request = requestFor(sources);
    const before = built(buildBundle(request));
    expect(before.preview.bundle.deidentification.counts).toEqual({ EMAIL: 3 });

    const after = built(buildBundle({ ...request, exclusions: { conversations: new Set([first.id]), messages: new Set([second.messages[2]!.id]) } }));
    const { bundle } = after.preview;
    expect([bundle.bundleId, bundle.createdAt]).toEqual([request.bundleId, request.createdAt]);
    expect(texts(bundle)).toEqual([['Mail [EMAIL_1]', 'ok', 'done']]);
    expect(bundle.conversations[0]!.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    expect(bundle.consent.scope.conversationCount).toBe(1);
    expect(bundle.deidentification.counts).toEqual({ EMAIL: 1 });
    expect(after.preview.items.map((i) => [i.conversation, i.message ?? null])).toEqual([['c1', null], ['c1', 'm1'], ['c1', 'm2'], ['c1', 'm3']]);
    // The map back to the device points at what the user sees now.
    expect(after.origins.get('c1/m3')).toEqual({ conversationId: second.id, messageId: second.messages[3]!.id });
  });

  it('leaves out a message longer than the schema allows and says so, never cutting it', async () => {
    const db = await freshDb();
    const long = 'word '.repeat(MAX_TEXT_CHARS / 5 + 1);
    const chat = await writeConversation(db, 'Long', [{ user: long, bot: 'That is long.' }, { user: 'Short one', bot: 'ok' }]);
    const result = built(buildBundle(requestFor(await readDonationSources(db, [chat.id]))));
    expect(texts(result.preview.bundle)).toEqual([['That is long.', 'Short one', 'ok']]);
    expect(result.leftOut.join(' ')).toMatch(/1 message was left out: longer than 20,000 characters/);
    expect(checkBundle(result.preview.bundle).ok).toBe(true);
  });

  it('says when nothing is left to donate', async () => {
    const db = await freshDb();
    const chat = await writeConversation(db, 'One', [{ user: 'Hi', bot: 'Hello' }]);
    const sources = await readDonationSources(db, [chat.id]);
    expect(buildBundle(requestFor(sources, { exclusions: { conversations: new Set(), messages: new Set(chat.messages.map((m) => m.id)) } })))
      .toEqual({ ok: false, reason: 'empty', leftOut: [] });
  });

  it('offers live conversations newest first with the size of their shown thread and how many replies were rated', async () => {
    const db = await freshDb();
    const { trip, short } = await seedChat(db);
    const empty = await writeConversation(db, 'Empty', []);
    // Both were written within a millisecond or two; say which is newer rather than race the clock.
    await updateConversation(db, trip.id, { updatedAt: 1_000 });
    await updateConversation(db, short.id, { updatedAt: 2_000 });
    const candidates = await listDonationCandidates(db);
    expect(candidates.map((c) => [c.conversationId, c.title, c.messageCount, c.ratedCount])).toEqual([
      [short.id, 'Quick question', 2, 0],
      [trip.id, 'Trip planning for Lisbon', 6, 2],
    ]);
    expect(candidates.some((c) => c.conversationId === empty.id)).toBe(false);
  });
});

describe('preview segments', () => {
  it('join to the JSON exactly and mark each placeholder with its type', () => {
    const json = JSON.stringify({ text: 'Hi [PERSON_1], mail [EMAIL_12] at [PLACE_3].', other: '[NOT_A_TYPE_1] [EMAIL_] [DECLARED_TERM_2]' }, null, 2);
    const segments = segmentPreview(json);
    expect(segments.map((s) => s.text).join('')).toBe(json);
    expect(segments.filter((s) => s.entity).map((s) => [s.entity, s.text])).toEqual([
      ['PERSON', '[PERSON_1]'], ['EMAIL', '[EMAIL_12]'], ['PLACE', '[PLACE_3]'], ['DECLARED_TERM', '[DECLARED_TERM_2]'],
    ]);
    expect(segments.filter((s) => !s.entity).every((s) => !/\[[A-Z_]+_\d+\]/.test(s.text.replace('[NOT_A_TYPE_1]', '')))).toBe(true);
  });

  it('of a built bundle cover the de-identifier\'s placeholders, and nothing else', async () => {
    const db = await freshDb();
    const chat = await writeConversation(db, 'X', [{ user: 'I am at ann@example.com, call +1 415-555-0132', bot: 'ok ann@example.com' }]);
    const { preview } = built(buildBundle(requestFor(await readDonationSources(db, [chat.id]))));
    expect(preview.segments.map((s) => s.text).join('')).toBe(preview.json);
    expect(preview.segments.filter((s) => s.entity).map((s) => s.text)).toEqual(['[EMAIL_1]', '[PHONE_1]', '[EMAIL_1]']);
  });
});
