/**
 * What the outbox does with each answer from the collector: pure functions of the record, the
 * reply and the time, so retry, give-up and withdrawal rules are tested without timers or a
 * network. outbox.ts applies them.
 */
import type { CollectorReply } from './collector-client';
import type { DonationRecord } from './donation-store-api';

export const FIRST_RETRY_DELAY_MS = 5_000;
export const MAX_RETRY_DELAY_MS = 15 * 60_000;
/** A collector asking for more than a day's pause is taken at its word for a day, then asked again. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;
/** Each delay is shortened by up to this fraction at random, so devices that went offline together do not retry in step. */
export const RETRY_JITTER = 0.25;

export interface PolicyContext {
  now: number;
  /** Uniform in [0, 1). */
  random: () => number;
}

/** Delay before the next try after `failedTries` failures in a row: 5 s, 10 s, 20 s … at most 15 min. */
export function retryDelay(failedTries: number, random: () => number): number {
  const exponent = Math.max(0, Math.min(failedTries - 1, 30));
  const capped = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** exponent);
  return Math.round(capped * (1 - RETRY_JITTER * random()));
}

/** Retry-After as delta-seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  let delay: number;
  if (/^\d+$/.test(text)) delay = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    delay = at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, delay));
}

/** "in 5 seconds" for a soon retry, "at 10:42" otherwise (the user's clock and locale). */
export function describeRetryTime(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000);
  if (seconds < 60) return `in ${Math.max(1, seconds)} second${seconds === 1 ? '' : 's'}`;
  return `at ${new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;
}

function httpStatus(reply: Extract<CollectorReply, { kind: 'response' }>): string {
  return `HTTP ${reply.status}${reply.statusText ? ` ${reply.statusText}` : ''}`;
}

const MAX_PROBLEMS_SHOWN = 5;

const withoutFinalStop = (text: string) => text.trim().replace(/[.\s]+$/, '');

/** The collector's own explanation (`{error, problems[]}`), when it sent one, as one phrase. */
function collectorExplanation(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const { error, problems } = body as { error?: unknown; problems?: unknown };
  const parts: string[] = [];
  if (typeof error === 'string' && error.trim() !== '') parts.push(withoutFinalStop(error));
  if (Array.isArray(problems)) {
    // The collector repeats `error` as the only problem when it has nothing to add.
    const listed = problems.filter((p): p is string => typeof p === 'string' && p.trim() !== '' && withoutFinalStop(p) !== parts[0]);
    if (listed.length > 0) {
      const shown = listed.slice(0, MAX_PROBLEMS_SHOWN).map(withoutFinalStop).join('; ');
      const more = listed.length > MAX_PROBLEMS_SHOWN ? ` (and ${listed.length - MAX_PROBLEMS_SHOWN} more)` : '';
      parts.push(`${shown}${more}`);
    }
  }
  return parts.length > 0 ? parts.join(' — ') : null;
}

/** What a refusal without the collector's own words means, by status. */
const REFUSALS: Readonly<Record<number, string>> = {
  400: 'The collector could not read the bundle',
  401: 'The collector refused the request',
  403: 'The collector refused the request',
  404: 'No collector answers at this address; check it in the donation settings',
  409: 'The collector already holds a different bundle with the same id',
  410: 'The collector no longer accepts this bundle: it was withdrawn there',
  413: 'The bundle is too large for this collector; donate fewer conversations at a time',
  415: 'The collector does not accept this kind of content',
  422: 'The collector found the bundle invalid',
};

/** Why a refused bundle was refused, in words; the collector's own words win where it gave some. */
function refusal(reply: Extract<CollectorReply, { kind: 'response' }>): string {
  const said = collectorExplanation(reply.body);
  const status = httpStatus(reply);
  const why = said ? `The collector refused the bundle (${status}): ${said}` : `${REFUSALS[reply.status] ?? 'The collector refused the bundle'} (${status})`;
  return `${why}. It will not be sent again automatically.`;
}

interface Receipt { receiptId: string; receivedAt: string }

function receiptOf(body: unknown, bundleId: string): Receipt | null {
  if (typeof body !== 'object' || body === null) return null;
  const { bundleId: id, receiptId, receivedAt } = body as Record<string, unknown>;
  if (id !== bundleId || typeof receiptId !== 'string' || typeof receivedAt !== 'string') return null;
  return { receiptId, receivedAt };
}

/** Answers that mean "not now": try again later. */
function isTransient(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * The record after one try to send it. 2xx: sent (with the receipt). No answer, 5xx, 408, 429:
 * queued again with a later try. A redirect or another 4xx: failed, not retried automatically —
 * trying the same bytes again would get the same answer.
 */
export function recordAfterSend(record: DonationRecord, reply: CollectorReply, context: PolicyContext): DonationRecord {
  const attempts = record.attempts + 1;
  const { nextAttemptAt: _next, lastError: _error, ...rest } = record;

  if (reply.kind === 'response' && reply.status >= 200 && reply.status < 300) {
    const receipt = receiptOf(reply.body, record.bundleId);
    if (receipt) return { ...rest, status: 'sent', attempts, receipt };
    // Stored (the collector said so) but unconfirmed: still 'sent', so it can be withdrawn.
    return { ...rest, status: 'sent', attempts, lastError: 'The collector accepted the bundle but sent no receipt.' };
  }

  if (reply.kind === 'unreachable' || isTransient(reply.status)) {
    const retryAfter = reply.kind === 'response' ? parseRetryAfter(reply.retryAfter, context.now) : null;
    const nextAttemptAt = context.now + (retryAfter ?? retryDelay(attempts, context.random));
    const when = describeRetryTime(nextAttemptAt, context.now);
    const why = reply.kind === 'unreachable'
      ? 'The collector could not be reached (offline?)'
      : reply.status === 429
        ? `The collector is busy (${httpStatus(reply)})`
        : `The collector could not take the bundle just now (${httpStatus(reply)})`;
    return { ...rest, status: 'queued', attempts, nextAttemptAt, lastError: `${why} — will try again ${when}.` };
  }

  if (reply.status === 0 || (reply.status >= 300 && reply.status < 400)) {
    return {
      ...rest,
      status: 'failed',
      attempts,
      lastError: `The collector at ${record.endpoint} answered with a redirect elsewhere; bundles go only to the address you set, so it was not sent. Check the address in the donation settings.`,
    };
  }

  return { ...rest, status: 'failed', attempts, lastError: refusal(reply) };
}

export type WithdrawOutcome = { withdrawn: true } | { withdrawn: false; message: string };

/** 200/204 withdrew it; 404/410 mean it is already gone. Anything else: still stored there. */
export function withdrawOutcome(reply: CollectorReply): WithdrawOutcome {
  if (reply.kind === 'unreachable') {
    return { withdrawn: false, message: 'Could not reach the collector to withdraw this bundle. It is still stored there; try again when you are online.' };
  }
  if ((reply.status >= 200 && reply.status < 300) || reply.status === 404 || reply.status === 410) return { withdrawn: true };
  const said = collectorExplanation(reply.body);
  const lead = reply.status === 401 || reply.status === 403
    ? 'The collector did not accept this bundle\'s withdrawal token'
    : 'The collector could not withdraw this bundle just now';
  return { withdrawn: false, message: `${lead} (${httpStatus(reply)}${said ? `: ${said}` : ''}). It is still stored there; try again later.` };
}
