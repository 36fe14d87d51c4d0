/**
 * Settings' download of the community head (src/reward/community-download.ts): the size before
 * anything is downloaded, a private request (no cookies, no referrer, no custom header, nothing
 * about the user), a checked file, and a sentence for each way it can fail.
 */
import { describe, expect, it } from 'vitest';
import { checkCommunitySize, communityHeadUrl, downloadCommunityHead } from '../../src/reward/community-download';
import { sealArtifact } from '../../workers/shared/community-artifact';

const ENDPOINT = 'http://localhost:8787';
const EXPECTED = { encoderId: 'enc', featureSize: 2, featureVersion: 1 };

async function artifactText(): Promise<string> {
  return JSON.stringify(
    await sealArtifact({
      format: 'community-reward-head', formatVersion: 1, version: 2, encoderId: 'enc', featureVersion: 1, featureSize: 2,
      weights: [1, -1], bias: 0.1, mean: [0, 0], invStd: [1, 1], donors: 7, ratings: 120, minTrust: 0.5, createdAt: '2026-12-03T10:00:00.000Z',
    }),
  );
}

function recordingFetch(respond: () => Response | Promise<Response>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return respond();
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
}

describe('community download', () => {
  it('asks for the size with HEAD, sending nothing but the request', async () => {
    const { calls, fetchFn } = recordingFetch(() => new Response(null, { status: 200, headers: { 'content-length': '2345' } }));
    expect(await checkCommunitySize(ENDPOINT, fetchFn)).toEqual({ ok: true, bytes: 2345 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(communityHeadUrl(ENDPOINT));
    expect(calls[0]!.init).toMatchObject({ method: 'HEAD', credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'manual' });
    expect(calls[0]!.init.headers).toBeUndefined();
    expect(calls[0]!.init.body).toBeUndefined();
  });

  it('downloads and checks the file, and reports its size', async () => {
    const text = await artifactText();
    const { fetchFn } = recordingFetch(() => new Response(text));
    const result = await downloadCommunityHead(ENDPOINT, EXPECTED, fetchFn);
    expect(result).toMatchObject({ ok: true, bytes: new TextEncoder().encode(text).length, artifact: { version: 2, donors: 7 } });
  });

  it('says what went wrong: not published, unreachable, a tampered file, another encoder', async () => {
    expect(await checkCommunitySize(ENDPOINT, recordingFetch(() => new Response('{}', { status: 404 })).fetchFn)).toEqual({
      ok: false,
      problem: 'The collector at http://localhost:8787 has not published a community model yet.',
    });
    const offline = recordingFetch(() => Promise.reject(new TypeError('Failed to fetch'))).fetchFn;
    expect(await downloadCommunityHead(ENDPOINT, EXPECTED, offline)).toMatchObject({ ok: false, problem: expect.stringMatching(/^Could not reach the collector at http:\/\/localhost:8787\. Check the address/) });
    const tampered = (await artifactText()).replace('"bias":0.1', '"bias":5');
    expect(await downloadCommunityHead(ENDPOINT, EXPECTED, recordingFetch(() => new Response(tampered)).fetchFn)).toEqual({
      ok: false,
      problem: 'The community model does not match its checksum; it was not used.',
    });
    expect(await downloadCommunityHead(ENDPOINT, { ...EXPECTED, encoderId: 'other' }, recordingFetch(async () => new Response(await artifactText())).fetchFn)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/trained for the encoder enc; this app uses other/),
    });
    expect(await downloadCommunityHead(ENDPOINT, EXPECTED, recordingFetch(() => new Response('<html>proxy error</html>')).fetchFn)).toEqual({
      ok: false,
      problem: 'The download is not a community model.',
    });
  });
});
