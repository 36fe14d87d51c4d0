/**
 * Fetching the community reward head from the collector the user set (issue 21). Two requests,
 * both plain GET/HEAD with no cookies, no referrer and no custom header: the collector learns that
 * someone asked for the file, nothing about who or what they rated. The size is asked first
 * (HEAD) so Settings can show it before anything is downloaded; the download is checked (shape,
 * encoder, content hash) before it is used. Answers are data, for Settings to show.
 */
import { checkArtifact, type CommunityRewardHead } from '../../workers/shared/community-artifact';

export type SizeCheck = { ok: true; bytes: number | null } | { ok: false; problem: string };
export type Download = { ok: true; artifact: CommunityRewardHead; bytes: number } | { ok: false; problem: string };

export interface ExpectedHead {
  encoderId: string;
  featureSize: number;
  featureVersion: number;
}

const PRIVATE: RequestInit = { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store', redirect: 'manual' };
const TIMEOUT_MS = 60_000;

export function communityHeadUrl(endpoint: string): string {
  return `${endpoint}/community/reward-head/latest`;
}

function problemFor(status: number, endpoint: string): string {
  if (status === 404) return `The collector at ${endpoint} has not published a community model yet.`;
  return `The collector at ${endpoint} answered ${status}; try again later.`;
}

function unreachable(endpoint: string): string {
  return `Could not reach the collector at ${endpoint}. Check the address (Donate → Collector address) and that you are online, then try again.`;
}

export async function checkCommunitySize(endpoint: string, fetchFn: typeof fetch = fetch): Promise<SizeCheck> {
  let response: Response;
  try {
    response = await fetchFn(communityHeadUrl(endpoint), { ...PRIVATE, method: 'HEAD', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    return { ok: false, problem: unreachable(endpoint) };
  }
  if (!response.ok) return { ok: false, problem: problemFor(response.status, endpoint) };
  const length = Number(response.headers.get('content-length'));
  return { ok: true, bytes: Number.isFinite(length) && length > 0 ? length : null };
}

export async function downloadCommunityHead(endpoint: string, expected: ExpectedHead, fetchFn: typeof fetch = fetch): Promise<Download> {
  let text: string;
  try {
    const response = await fetchFn(communityHeadUrl(endpoint), { ...PRIVATE, method: 'GET', signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) return { ok: false, problem: problemFor(response.status, endpoint) };
    text = await response.text();
  } catch {
    return { ok: false, problem: unreachable(endpoint) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'The download is not a community model.' };
  }
  const checked = await checkArtifact(value, expected);
  return checked.ok ? { ok: true, artifact: checked.artifact, bytes: new TextEncoder().encode(text).length } : checked;
}
