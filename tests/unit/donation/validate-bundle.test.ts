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

  it('points at the exact place of each problem', () => {
    const bundle = valid();
    (bundle.conversations[0]!.messages[0] as { role: string }).role = 'system';
    bundle.conversations[1]!.messages[1]!.text = 'x'.repeat(20_001);
    const result = checkBundle(bundle);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContain('/conversations/0/messages/0/role: must be one of "user", "assistant"');
    expect(result.problems.some((p) => p.startsWith('/conversations/1/messages/1/text:'))).toBe(true);
  });

  it('refuses an unknown entity type in the report and a stable-looking donor id', () => {
    const bundle = valid() as unknown as { donor: string; deidentification: { counts: Record<string, number> } };
    bundle.donor = 'user@example.com';
    bundle.deidentification.counts.MOTHERS_MAIDEN_NAME = 1;
    const result = checkBundle(bundle);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.some((p) => p.startsWith('/donor:'))).toBe(true);
    expect(result.problems.some((p) => p.startsWith('/deidentification/counts'))).toBe(true);
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
