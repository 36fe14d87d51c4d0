/**
 * `npm run collector:export`: stored, not withdrawn bundles out as KTO / DPO / BB3x JSONL in the
 * app's record shapes, streamed from the store (SQLite or PostgreSQL, by test project).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bb3xRecords } from '../../collector/export/bb3x';
import { dpoRecords } from '../../collector/export/dpo';
import { ktoRecords } from '../../collector/export/kto';
import { writeJsonl } from '../../collector/export/write-jsonl';
import { openStoreReadOnly } from '../../collector/store/open-store';
import type { DonationBundle } from '../../src/donation/bundle-types';
import { makeBundle, newToken } from './support/bundles';
import { testStoreKind } from './support/test-store';
import { postBundle, REPO_ROOT, startCollector, withdraw, type RunningCollector } from './support/collector';

/** user q1 → a1 (liked) → q2 → a2 (disliked: repeating, rude; better b2) → q3 → a3 (safety answer, unrated). */
function knownBundle(): DonationBundle {
  const bundle = makeBundle({ conversations: 1, turns: 1 });
  bundle.conversations = [
    {
      id: 'c1',
      messages: [
        { id: 'm1', role: 'user', text: 'q1' },
        {
          id: 'm2',
          role: 'assistant',
          text: 'a1',
          reward: { label: '__ok__', probability: 0.9 },
          safety: { label: '__safe__', probability: 0.99 },
          feedback: { rating: 'up', reasons: [] },
        },
        { id: 'm3', role: 'user', text: 'q2' },
        { id: 'm4', role: 'assistant', text: 'a2', feedback: { rating: 'down', reasons: ['repeating', 'rude'], betterResponse: 'b2', comment: 'meh' } },
        { id: 'm5', role: 'user', text: 'q3', feedback: { rating: 'up', reasons: [] } },
        { id: 'm6', role: 'assistant', text: 'a3', isSafetyControlledResponse: true },
      ],
    },
    {
      id: 'c2',
      messages: [
        { id: 'm7', role: 'user', text: 'hello' },
        { id: 'm8', role: 'assistant', text: 'x', feedback: { rating: 'down', reasons: [], betterResponse: '   ' } },
      ],
    },
  ];
  bundle.consent.scope.conversationCount = 2;
  return bundle;
}

/** The known bundle as the collector accepts it: no rating on a user message (the mappers ignore one anyway). */
function storableKnownBundle(): DonationBundle {
  const bundle = knownBundle();
  for (const conversation of bundle.conversations) {
    for (const message of conversation.messages) if (message.role === 'user') delete message.feedback;
  }
  return bundle;
}

describe('record shapes', () => {
  const bundle = knownBundle();

  it('KTO: one record per rated reply, the thread before it as the prompt', () => {
    expect([...ktoRecords(bundle)]).toEqual([
      { prompt: [{ role: 'user', content: 'q1' }], completion: [{ role: 'assistant', content: 'a1' }], label: true },
      {
        prompt: [
          { role: 'user', content: 'q1' },
          { role: 'assistant', content: 'a1' },
          { role: 'user', content: 'q2' },
        ],
        completion: [{ role: 'assistant', content: 'a2' }],
        label: false,
      },
      { prompt: [{ role: 'user', content: 'hello' }], completion: [{ role: 'assistant', content: 'x' }], label: false },
    ]);
  });

  it('DPO: the better response over the disliked reply; blank better responses are skipped', () => {
    expect([...dpoRecords(bundle)]).toEqual([
      {
        prompt: [
          { role: 'user', content: 'q1' },
          { role: 'assistant', content: 'a1' },
          { role: 'user', content: 'q2' },
        ],
        chosen: [{ role: 'assistant', content: 'b2' }],
        rejected: [{ role: 'assistant', content: 'a2' }],
      },
    ]);
  });

  it('BB3x: one record per conversation, donor as user id, first dislike reason in taxonomy order', () => {
    const records = [...bb3xRecords(bundle)];
    expect(records).toHaveLength(2);
    const [first] = records;
    expect(first?.conversation_id).toBe(`${bundle.bundleId}:c1`);
    expect(first?.user_id).toBe(bundle.donor);
    const human = { isLiked: false, isDisliked: false, dislike_type: null, isSafetyControlledResponse: false, reward: null, safety: null };
    expect(first?.message_history).toEqual([
      { text: 'q1', sender: 'human', ...human },
      {
        text: 'a1',
        sender: 'bot',
        isLiked: true,
        isDisliked: false,
        dislike_type: null,
        isSafetyControlledResponse: false,
        reward: { label: '__ok__', probability: 0.9 },
        safety: { label: '__safe__', probability: 0.99 },
      },
      { text: 'q2', sender: 'human', ...human },
      { text: 'a2', sender: 'bot', isLiked: false, isDisliked: true, dislike_type: 'rude', isSafetyControlledResponse: false, reward: null, safety: null },
      // A rating on a user message is not a rating of the bot: ignored, as in the app.
      { text: 'q3', sender: 'human', ...human },
      { text: 'a3', sender: 'bot', ...human, isSafetyControlledResponse: true },
    ]);
  });
});

describe('export from the database', () => {
  let server: RunningCollector;
  const kept: DonationBundle[] = [];
  let withdrawn: DonationBundle;

  beforeAll(async () => {
    server = await startCollector();
    for (let i = 0; i < 5; i++) {
      const bundle = i === 2 ? storableKnownBundle() : makeBundle();
      const token = newToken();
      expect((await postBundle(server.url, bundle, { token })).status).toBe(201);
      if (i === 3) {
        withdrawn = bundle;
        expect((await withdraw(server.url, bundle.bundleId, token)).status).toBe(200);
      } else {
        kept.push(bundle);
      }
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  async function exported(format: 'kto' | 'dpo' | 'bb3x'): Promise<string[]> {
    const storage = await openStoreReadOnly(server.location);
    try {
      const out = new PassThrough();
      let text = '';
      out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      const summary = await writeJsonl(storage.bodies(), format, out);
      out.end();
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      expect(summary.bundles).toBe(kept.length);
      expect(summary.records).toBe(lines.length);
      return lines;
    } finally {
      await storage.close();
    }
  }

  it('writes every stored bundle in arrival order and leaves the withdrawn one out', async () => {
    for (const [format, convert] of [
      ['kto', ktoRecords],
      ['dpo', dpoRecords],
      ['bb3x', bb3xRecords],
    ] as const) {
      const lines = await exported(format);
      const expected = kept.flatMap((b) => [...convert(b)].map((r) => JSON.stringify(r)));
      expect(lines, format).toEqual(expected);
    }
    const bb3x = await exported('bb3x');
    expect(bb3x.some((line) => line.includes(withdrawn.bundleId))).toBe(false);
    expect(bb3x.length).toBeGreaterThan(kept.length);
  });

  it('runs as a command while the collector is running, writing the file only when complete', () => {
    const out = path.join(server.dir, 'kto.jsonl');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'collector/export-main.ts', '--format', 'kto', ...server.exportArgs, '--out', out], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/kto records .* from 4 bundles/);
    expect(existsSync(`${out}.partial`)).toBe(false);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual(kept.flatMap((b) => [...ktoRecords(b)].map((r) => JSON.stringify(r))));
  });

  it('refuses an unknown format or a missing database with a usage line', () => {
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'collector/export-main.ts', '--format', 'csv', ...server.exportArgs], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown format "csv"[\s\S]*usage:/);
    const nowhere =
      testStoreKind() === 'sqlite'
        ? ['--db', path.join(server.dir, 'nope.sqlite')]
        : ['--database-url', Object.assign(new URL(server.exportArgs[1]!), { pathname: '/no_such_database' }).toString()];
    const missing = spawnSync(process.execPath, ['--import', 'tsx', 'collector/export-main.ts', '--format', 'dpo', ...nowhere], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot open/);
  });
});

describe('export safety', () => {
  let server: RunningCollector;
  const bundles: DonationBundle[] = [];

  const runExport = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'collector/export-main.ts', ...server.exportArgs, ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });

  beforeAll(async () => {
    server = await startCollector();
    for (let i = 0; i < 3; i++) {
      const bundle = makeBundle({ conversations: 1, turns: 1 });
      if (i === 0) {
        // Characters JSON.stringify leaves raw: C1 controls (NEL, CSI), line/paragraph separators, a bidi override.
        bundle.conversations[0]!.messages[0]!.text = 'a\u0085b\u009b31mc\u2028d\u2029e\u202ef\u007f';
      }
      expect((await postBundle(server.url, bundle, { token: newToken() })).status).toBe(201);
      bundles.push(bundle);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it.runIf(testStoreKind() === 'sqlite')('refuses to write onto its own database or its WAL, even with --force, and leaves it intact', async () => {
    const dbPath = server.location.kind === 'sqlite' ? server.location.file : '';
    for (const out of [dbPath, `${dbPath}-wal`, path.join(path.dirname(dbPath), '.', path.basename(dbPath))]) {
      for (const force of [[], ['--force']]) {
        const run = runExport(['--format', 'kto', '--out', out, ...force]);
        expect(run.status, out).toBe(2);
        expect(run.stderr).toMatch(/refusing to write onto the database/);
      }
    }
    expect(await server.storage.countBundles()).toBe(3);
    expect(readFileSync(dbPath).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
  });

  it('refuses to replace an existing file without --force, and replaces it with --force', () => {
    const out = path.join(server.dir, 'existing.jsonl');
    writeFileSync(out, 'keep me\n');
    const refused = runExport(['--format', 'bb3x', '--out', out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/already exists; add --force/);
    expect(readFileSync(out, 'utf8')).toBe('keep me\n');
    const forced = runExport(['--format', 'bb3x', '--out', out, '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(3);
  });

  it('escapes C1 controls, U+2028/U+2029 and bidi overrides, keeping the same JSON values', () => {
    const run = runExport(['--format', 'bb3x']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/[\u007f-\u009f\u2028\u2029\u202e]/);
    expect(run.stdout).toContain('a\\u0085b\\u009b31mc\\u2028d\\u2029e\\u202ef\\u007f');
    const first = JSON.parse(run.stdout.split('\n')[0]!) as { message_history: Array<{ text: string }> };
    expect(first.message_history[0]!.text).toBe(bundles[0]!.conversations[0]!.messages[0]!.text);
  });

  it('skips a tampered row with a warning, exports the rest, and exits 1 at the end', async () => {
    const [damaged, reshaped] = [bundles[1]!.bundleId, bundles[2]!.bundleId];
    await server.probe.run('UPDATE bundles SET body = ? WHERE bundle_id = ?', '{"schemaVersion":1,"conv', damaged);
    await server.probe.run('UPDATE bundles SET body = ? WHERE bundle_id = ?', JSON.stringify({ ...bundles[2], conversations: 5 }), reshaped);
    const out = path.join(server.dir, 'tampered.jsonl');
    const run = runExport(['--format', 'bb3x', '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`warning: skipped bundle "${damaged}": its stored JSON is damaged`);
    expect(run.stderr).toContain(`warning: skipped bundle "${reshaped}": it no longer matches the donation schema (/conversations: must be array)`);
    expect(run.stderr).not.toMatch(/TypeError|SyntaxError|at .*\.ts:\d+/);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(bundles[0]!.bundleId);
  });
});
