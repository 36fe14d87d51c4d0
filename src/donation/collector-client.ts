/**
 * The two requests the app makes to a collector: POST a bundle, DELETE (withdraw) one. They
 * report what happened as data — a status and a parsed body, or "unreachable" — and leave what
 * to do about it to outbox-policy.ts, so that policy can be tested without a network.
 */
import type { DonationRecord } from './donation-store-api';

export type CollectorReply =
  | { kind: 'response'; status: number; statusText: string; retryAfter: string | null; body: unknown }
  /** No answer at all: offline, DNS, refused, TLS, CORS or timed out. */
  | { kind: 'unreachable'; reason: string };

/** A collector that has not answered by then is treated like one that cannot be reached. */
export const REQUEST_TIMEOUT_MS = 60_000;

/**
 * Options shared by both requests. No cookies, no referrer: the collector learns nothing but the
 * bundle. Redirects are not followed, because a bundle goes only to the address the user set.
 */
const PRIVATE_REQUEST: RequestInit = { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store', redirect: 'manual' };

export function bundlesUrl(endpoint: string): string {
  return `${endpoint}/v1/bundles`;
}

export function postBundle(fetchFn: typeof fetch, record: DonationRecord, timeoutMs = REQUEST_TIMEOUT_MS): Promise<CollectorReply> {
  return request(fetchFn, bundlesUrl(record.endpoint), {
    method: 'POST',
    // Exactly the previewed text: the bytes sent are the bytes the user read.
    body: record.body,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${record.withdrawalToken}` },
  }, timeoutMs);
}

export function deleteBundle(fetchFn: typeof fetch, record: DonationRecord, timeoutMs = REQUEST_TIMEOUT_MS): Promise<CollectorReply> {
  return request(fetchFn, `${bundlesUrl(record.endpoint)}/${encodeURIComponent(record.bundleId)}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${record.withdrawalToken}` },
  }, timeoutMs);
}

async function request(fetchFn: typeof fetch, url: string, init: RequestInit, timeoutMs: number): Promise<CollectorReply> {
  let response: Response;
  try {
    response = await fetchFn(url, { ...PRIVATE_REQUEST, ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { kind: 'unreachable', reason: error instanceof Error ? error.message : String(error) };
  }
  let body: unknown = null;
  try {
    const text = await response.text();
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page, say): the status alone has to do.
  }
  return { kind: 'response', status: response.status, statusText: response.statusText, retryAfter: response.headers.get('Retry-After'), body };
}
