/**
 * The community loop at the collector (issue 21): trust per donor and bundle, `npm run
 * collector:train` publishing a versioned community head from the trusted donations, the
 * read-only `GET /community/reward-head/latest` with its ETag, and the export's --min-trust.
 * Runs on both stores; the training runs the app's demo encoder and safety classifier on
 * onnxruntime-node.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { donorBundle, population, question } from '../../bench/community/simulated-donors';
import { seededRandom } from '../../bench/simulated-user';
import type { DonorEvidence, RatedReply } from '../../collector/community/donor-evidence';
import { scoreDonors } from '../../collector/community/trust';
import { adapterFromJson } from '../../workers/shared/adapter-codec';
import { checkArtifact, checkCommunityAdapter, type CommunityAdapter, type CommunityRewardHead } from '../../workers/shared/community-artifact';
import { newToken } from './support/bundles';
import { postBundle, REPO_ROOT, startCollector, tempDir, type RunningCollector } from './support/collector';

function ratings(rng: () => number, n: number, rate: (feature: number) => boolean): RatedReply[] {
  return Array.from({ length: n }, () => {
    const x = rng() * 2 - 1;
    return { bundleId: 'b', features: [x, rng() * 2 - 1, rng() * 2 - 1], liked: rate(x), weight: 1 };
  });
}

function donor(name: string, rs: RatedReply[], turns = { userTurns: 20, flaggedTurns: 0, texts: 20, repeatedTexts: 0 }): DonorEvidence {
  return { donor: name, bundles: [], ratings: rs, ...turns };
}

describe('trust', () => {
  it('trusts donors who agree with each other, and names the signal that sinks each of the others', () => {
    const rng = seededRandom(3);
    const crowd = Array.from({ length: 8 }, (_, i) => donor(`honest-${i}`, ratings(rng, 20, (x) => x > 0)));
    const others = [
      donor('random', ratings(rng, 20, () => rng() < 0.5)),
      donor('against', ratings(rng, 20, (x) => x <= 0)),
      donor('toxic', ratings(rng, 20, (x) => x > 0), { userTurns: 20, flaggedTurns: 8, texts: 20, repeatedTexts: 0 }),
      donor('paster', ratings(rng, 20, (x) => x > 0), { userTurns: 20, flaggedTurns: 0, texts: 20, repeatedTexts: 12 }),
    ];
    const verdicts = scoreDonors([...crowd, ...others]);
    for (const honest of crowd) {
      expect(verdicts.get(honest.donor)!.score, honest.donor).toBeGreaterThanOrEqual(0.5);
    }
    expect(verdicts.get('against')!.score).toBeLessThan(0.5);
    expect(verdicts.get('against')!.reasons[0]).toMatch(/ratings disagree with the other donors/);
    expect(verdicts.get('random')!.score).toBeLessThan(0.9);
    expect(verdicts.get('toxic')).toMatchObject({ score: 0, reasons: [expect.stringMatching(/^40% of the donor's turns flagged unsafe/)] });
    expect(verdicts.get('paster')!.score).toBe(0);
    expect(verdicts.get('paster')!.reasons[0]).toMatch(/60% of the donor's texts pasted again/);
  });

  it('counts ratings against a confident community head', () => {
    const rng = seededRandom(4);
    const head = { weights: [6, 0, 0], bias: 0, mean: [0, 0, 0], invStd: [1, 1, 1], featureSize: 3 } as unknown as CommunityRewardHead;
    const verdicts = scoreDonors([donor('a', ratings(rng, 30, (x) => x > 0)), donor('b', ratings(rng, 30, (x) => x <= 0))], { communityHead: head });
    expect(verdicts.get('a')!.signals.contradiction).toBe(0);
    expect(verdicts.get('b')!.signals.contradiction).toBe(1);
    expect(verdicts.get('b')!.reasons.join(' ')).toMatch(/100% of confident ratings contradict the community head/);
  });
});

describe('npm run collector:train and GET /community/reward-head/latest', () => {
  let server: RunningCollector;
  let outDir: string;
  const adversaries = new Set<string>();

  beforeAll(async () => {
    outDir = path.join(tempDir('community-'), 'published');
    server = await startCollector({ communityDir: outDir });
    const rng = seededRandom(11);
    for (const d of population(rng, 10, 3)) {
      if (d.rater !== 'honest') adversaries.add(d.id);
      const pasted = question(rng);
      for (let b = 0; b < 2; b++) {
        const bundle = donorBundle(rng, { ...d, toxicShare: d.rater === 'honest' ? 0 : 0.6 }, pasted);
        expect((await postBundle(server.url, bundle, { token: newToken() })).status).toBe(201);
      }
    }
  });
  afterAll(async () => {
    await server?.close();
    rmSync(path.dirname(outDir), { recursive: true, force: true });
  });

  const train = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'collector/train-main.ts', ...server.exportArgs, '--out', outDir, ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('answers 404 until a head is published', async () => {
    const response = await fetch(`${server.url}/community/reward-head/latest`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { problems: string[] }).problems.join(' ')).toMatch(/collector:train/);
  });

  it('publishes version 1 from the trusted bundles, says why the others were skipped, and serves it with an ETag', async () => {
    const report = path.join(server.dir, 'trust.jsonl');
    const run = train('--report', report);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/20 bundles from 10 donors; 14 trusted \(min trust 0\.5\)/);
    expect(run.stderr).toMatch(/published version 1 \(\d+ ratings from 7 donors, sha256 [0-9a-f]{64}\)/);
    const lines = readFileSync(report, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { donor: string; used: boolean; reasons: string[] });
    expect([...new Set(lines.filter((l) => !l.used).map((l) => l.donor))].sort()).toEqual([...adversaries].sort());
    for (const skipped of lines.filter((l) => !l.used)) expect(skipped.reasons.join(' ')).toMatch(/flagged unsafe/);
    expect(readdirSync(outDir).sort()).toEqual(['adapter-demo-chat-tiny-v1.json', 'reward-head-v1.json']);

    const response = await fetch(`${server.url}/community/reward-head/latest`);
    expect(response.status).toBe(200);
    const artifact = (await response.json()) as CommunityRewardHead;
    expect(artifact).toMatchObject({ version: 1, encoderId: 'demo-encoder-tiny', donors: 7, minTrust: 0.5 });
    expect(await checkArtifact(artifact, { encoderId: 'demo-encoder-tiny', featureSize: artifact.featureSize, featureVersion: 1 })).toMatchObject({ ok: true });
    // Nothing about a donor is in it: no pseudonym, no bundle id, no text.
    const text = JSON.stringify(artifact);
    for (const line of lines) expect(text).not.toContain(line.donor);
    expect(text).not.toMatch(/music|kaboom|bundle/);
    const etag = response.headers.get('etag');
    expect(etag).toBe(`"${artifact.contentHash}"`);
    expect((await fetch(`${server.url}/community/reward-head/latest`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    const head = await fetch(`${server.url}/community/reward-head/latest`, { method: 'HEAD' });
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(readFileSync(path.join(outDir, 'reward-head-v1.json'), 'utf8')));
  });

  it('publishes the community generation adapter of the demo chat model from the same trusted ratings', async () => {
    expect((await fetch(`${server.url}/community/adapter/latest`)).status).toBe(400);
    expect((await fetch(`${server.url}/community/adapter/latest?model=Other/Model`)).status).toBe(404);
    const response = await fetch(`${server.url}/community/adapter/latest?model=demo-chat-tiny`);
    expect(response.status).toBe(200);
    const artifact = (await response.json()) as CommunityAdapter;
    // 14 trusted bundles of 12 rated replies each; the adversaries' 6 bundles are left out here too.
    expect(artifact).toMatchObject({ version: 1, modelId: 'demo-chat-tiny', donors: 7, ratings: 168, minTrust: 0.5 });
    expect(await checkCommunityAdapter(artifact, { modelId: 'demo-chat-tiny', vocabSize: artifact.vocabSize })).toMatchObject({ ok: true });
    expect(await checkCommunityAdapter({ ...artifact, ratings: 1 }, { modelId: 'demo-chat-tiny', vocabSize: artifact.vocabSize })).toMatchObject({ ok: false });
    expect(response.headers.get('etag')).toBe(`"${artifact.contentHash}"`);
    const state = adapterFromJson(artifact.adapter);
    expect(state).toMatchObject({ modelId: 'demo-chat-tiny', exampleCount: 168 });
    expect(state.bias.some((b) => b !== 0)).toBe(true);
  });

  it('publishes version 2 next to version 1, and the export leaves out what the trust report sinks', async () => {
    const report = path.join(server.dir, 'trust-2.jsonl');
    const run = train('--report', report);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(outDir).sort()).toEqual(['adapter-demo-chat-tiny-v1.json', 'adapter-demo-chat-tiny-v2.json', 'reward-head-v1.json', 'reward-head-v2.json']);
    expect(((await (await fetch(`${server.url}/community/reward-head/latest`)).json()) as CommunityRewardHead).version).toBe(2);

    const exported = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'collector/export-main.ts', '--format', 'kto', ...server.exportArgs, '--min-trust', '0.5', '--trust', report],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stderr.match(/left out bundle .*: trust 0\.\d\d < 0\.5: .*flagged unsafe/g)).toHaveLength(6);
    expect(exported.stderr).toMatch(/from 14 bundles/);
    const missing = spawnSync(process.execPath, ['--import', 'tsx', 'collector/export-main.ts', '--format', 'kto', ...server.exportArgs, '--min-trust', '0.5'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--min-trust needs --trust FILE/);
  });
});
