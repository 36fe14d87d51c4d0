import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { loadDonationSettings, normalizeDeclaredTerms, saveDonationSettings } from '../../../src/donation/donation-settings';
import { newDonorPseudonym, newWithdrawalToken } from '../../../src/donation/random-secrets';
import { openChatDb } from '../../../src/storage/db';

let count = 0;
const freshDb = () => openChatDb(`donation-settings-${++count}`);

describe('donation settings', () => {
  it('are off by default, pointed at a local collector, with a random donor pseudonym', async () => {
    const db = await freshDb();
    const settings = await loadDonationSettings(db);
    expect(settings).toEqual({ enabled: false, endpoint: 'http://localhost:8787', declaredTerms: [], donor: expect.stringMatching(/^donor-[0-9a-f]{16}$/), consentGivenAt: null });
    // Reading writes nothing: a user who never turns donation on leaves no trace of it.
    expect(await db.get('settings', 'donation')).toBeUndefined();
    // Once saved (turning donation on does), the pseudonym stays until the user resets it.
    await saveDonationSettings(db, { ...settings, enabled: true, consentGivenAt: '2024-05-01T10:00:00.000Z' });
    expect((await loadDonationSettings(db)).donor).toBe(settings.donor);
  });

  it('survive a reopen, and leave the chat settings alone', async () => {
    const name = `donation-settings-${++count}`;
    const db = await openChatDb(name);
    await db.put('settings', { backend: 'wasm' }, 'app');
    const saved = { enabled: true, endpoint: 'https://collector.example.org', declaredTerms: ['Acme'], donor: 'donor-0123456789abcdef', consentGivenAt: '2024-05-01T10:00:00.000Z' };
    await saveDonationSettings(db, saved);
    db.close();
    const reopened = await openChatDb(name);
    expect(await loadDonationSettings(reopened)).toEqual(saved);
    expect(await reopened.get('settings', 'app')).toEqual({ backend: 'wasm' });
  });

  it('fall back to safe values for anything a damaged record holds', async () => {
    const db = await freshDb();
    await db.put('settings', { enabled: true, endpoint: 'http://evil.example.org', declaredTerms: ['  Acme ', '', 'acme', 7], donor: 'me', consentGivenAt: null }, 'donation');
    const settings = await loadDonationSettings(db);
    // Without a consent time nothing can be recorded in a bundle, so donation is off.
    expect(settings.enabled).toBe(false);
    expect(settings.endpoint).toBe('http://localhost:8787');
    expect(settings.declaredTerms).toEqual(['Acme']);
    expect(settings.donor).toMatch(/^donor-[0-9a-f]{16}$/);
  });

  it('declared terms are trimmed and de-duplicated in the user\'s order', () => {
    expect(normalizeDeclaredTerms([' Maria ', 'Berlin', 'maria', '', '  ', 'Acme GmbH'])).toEqual(['Maria', 'Berlin', 'Acme GmbH']);
  });

  it('pseudonyms and withdrawal tokens are random, in the formats the collector expects', () => {
    const donors = new Set(Array.from({ length: 50 }, () => newDonorPseudonym()));
    expect(donors.size).toBe(50);
    for (const donor of donors) expect(donor).toMatch(/^donor-[0-9a-f]{16}$/);
    const token = newWithdrawalToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newWithdrawalToken()).not.toBe(token);
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 8 + 3);
    expect(Buffer.from(newWithdrawalToken((b) => (b.set(bytes), b)), 'base64url')).toEqual(Buffer.from(bytes));
  });
});
