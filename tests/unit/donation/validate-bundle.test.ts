import { describe, expect, it } from 'vitest';
import { checkBundle } from '../../../src/donation/validate-bundle';
import { makeBundle } from '../../collector/support/bundles';
import { seededRng } from '../../collector/support/rng';

/** The app-side half of "schema validation on both sides" (the collector's half is in tests/collector). */
describe('checkBundle (the shared schema, as the app runs it before queueing)', () => {
  const valid = () => structuredClone(makeBundle({ rng: seededRng(7), conversations: 2, turns: 2 }));

  it('accepts a bundle of the current version', () => {
    const result = checkBundle(valid());
    expect(result.ok).toBe(true);
  });

  it('names a wrong version as such instead of listing field errors', () => {
    const result = checkBundle({ ...valid(), schemaVersion: 2 });
    expect(result).toEqual({ ok: false, problems: ['schemaVersion 2 is not supported; this side accepts 1'] });
  });

  it('refuses fields the schema does not know, so nothing extra can ride along', () => {
    const bundle = valid() as unknown as Record<string, unknown>;
    bundle.deviceId = 'abc';
    const result = checkBundle(bundle);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toContain('bundle: unknown field "deviceId"');
  });

  it('points at the exact place of the first problem', () => {
    const role = valid();
    (role.conversations[0]!.messages[0] as { role: string }).role = 'system';
    expect(checkBundle(role)).toEqual({ ok: false, problems: ['/conversations/0/messages/0/role: must be one of "user", "assistant"'] });
    const long = valid();
    long.conversations[1]!.messages[1]!.text = 'x'.repeat(20_001);
    expect(checkBundle(long)).toEqual({ ok: false, problems: ['/conversations/1/messages/1/text: must NOT have more than 20000 characters'] });
  });

  it('refuses an unknown entity type in the report and a stable-looking donor id', () => {
    const donor = valid() as unknown as { donor: string };
    donor.donor = 'user@example.com';
    const donorCheck = checkBundle(donor);
    expect(donorCheck.ok).toBe(false);
    if (!donorCheck.ok) expect(donorCheck.problems[0]).toMatch(/^\/donor:/);
    const counts = valid() as unknown as { deidentification: { counts: Record<string, number> } };
    counts.deidentification.counts.MOTHERS_MAIDEN_NAME = 1;
    const countsCheck = checkBundle(counts);
    expect(countsCheck.ok).toBe(false);
    if (!countsCheck.ok) expect(countsCheck.problems[0]).toMatch(/^\/deidentification\/counts/);
  });

  it('answers a hostile, deeply nested body with a problem instead of overflowing the stack', () => {
    let deep: unknown = [];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const bundle = valid();
    (bundle.conversations[0]!.messages[1] as { feedback?: unknown }).feedback = { rating: 'down', reasons: [deep, deep] };
    expect(checkBundle(bundle)).toEqual({ ok: false, problems: ['bundle: nests deeper than 32 levels'] });
  });

  it('refuses what is not an object at all', () => {
    for (const value of [null, 'bundle', 42, []]) expect(checkBundle(value).ok).toBe(false);
  });
});
