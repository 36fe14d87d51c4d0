import { describe, expect, it } from 'vitest';
import type { CollectorReply } from '../../../src/donation/collector-client';
import type { DonationRecord } from '../../../src/donation/donation-store-api';
import { MAX_RETRY_DELAY_MS, parseRetryAfter, recordAfterSend, retryDelay, withdrawOutcome } from '../../../src/donation/outbox-policy';

const NOW = Date.parse('2024-06-01T10:40:00Z');
const BUNDLE_ID = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

const record: DonationRecord = {
  bundleId: BUNDLE_ID,
  createdAt: NOW - 1000,
  status: 'sending',
  body: '{}',
  endpoint: 'https://collector.example.org',
  conversationCount: 1,
  messageCount: 2,
  withdrawalToken: 'token',
  attempts: 0,
};

const answer = (status: number, body: unknown = null, retryAfter: string | null = null): CollectorReply =>
  ({ kind: 'response', status, statusText: '', retryAfter, body });
const unreachable: CollectorReply = { kind: 'unreachable', reason: 'fetch failed' };
const context = (random = 0) => ({ now: NOW, random: () => random });

describe('after sending a bundle', () => {
  it('201 and 200 (a resend the collector recognised) mark it sent with the receipt', () => {
    const receipt = { bundleId: BUNDLE_ID, receiptId: 'r-1', receivedAt: '2024-06-01T10:40:01.000Z' };
    for (const status of [201, 200]) {
      const sent = recordAfterSend({ ...record, attempts: 2, nextAttemptAt: NOW, lastError: 'offline' }, answer(status, receipt), context());
      expect(sent).toEqual({ ...record, status: 'sent', attempts: 3, receipt: { receiptId: 'r-1', receivedAt: receipt.receivedAt } });
    }
  });

  it('a 2xx without a proper receipt still counts as stored (so it can be withdrawn) and says so', () => {
    const sent = recordAfterSend(record, answer(201, { bundleId: 'someone-else', receiptId: 'x', receivedAt: 'y' }), context());
    expect(sent.status).toBe('sent');
    expect(sent.receipt).toBeUndefined();
    expect(sent.lastError).toMatch(/no receipt/);
  });

  it('no answer or a 5xx keeps it queued, with delays that grow and stop growing at 15 minutes', () => {
    let current = record;
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      current = recordAfterSend({ ...current, status: 'sending' }, i % 2 === 0 ? unreachable : answer(503), context());
      expect(current.status).toBe('queued');
      expect(current.attempts).toBe(i + 1);
      delays.push(current.nextAttemptAt! - NOW);
    }
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 900_000, 900_000]);
    expect(Math.max(...delays)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('jitter only ever shortens a delay, by at most a quarter', () => {
    expect(retryDelay(1, () => 0)).toBe(5_000);
    expect(retryDelay(1, () => 0.999999)).toBeGreaterThanOrEqual(3_750);
    expect(retryDelay(3, () => 0.5)).toBe(17_500);
    expect(retryDelay(50, () => 0.5)).toBe(MAX_RETRY_DELAY_MS * 0.875);
  });

  it('tells the user, in words, why and when it will try again', () => {
    const offline = recordAfterSend(record, unreachable, context());
    expect(offline.lastError).toBe('The collector could not be reached (offline?) — will try again in 5 seconds.');
    const down = recordAfterSend({ ...record, attempts: 6 }, answer(502, null), context());
    expect(down.lastError).toMatch(/^The collector could not take the bundle just now \(HTTP 502\) — will try again at \S+/);
    expect(recordAfterSend(record, answer(408), context()).status).toBe('queued');
  });

  it('honours Retry-After, in seconds or as a date', () => {
    const busy = recordAfterSend(record, answer(429, { error: 'Too many requests' }, '120'), context());
    expect(busy).toMatchObject({ status: 'queued', nextAttemptAt: NOW + 120_000 });
    expect(busy.lastError).toMatch(/^The collector is busy \(HTTP 429\) — will try again at /);
    const later = recordAfterSend(record, answer(503, null, new Date(NOW + 90_000).toUTCString()), context());
    expect(later.nextAttemptAt).toBe(NOW + 90_000);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0);
  });

  it('422 fails for good, with the collector\'s problems in the message', () => {
    const refused = recordAfterSend(record, answer(422, {
      error: 'The bundle does not match the donation schema.',
      problems: ['/conversations/0/messages/0/text: must NOT have more than 20000 characters', '/donor: must match pattern "^donor-[0-9a-f]{16}$"'],
    }), context());
    expect(refused).toMatchObject({ status: 'failed', attempts: 1 });
    expect(refused.nextAttemptAt).toBeUndefined();
    expect(refused.lastError).toBe(
      'The collector refused the bundle (HTTP 422): The bundle does not match the donation schema — /conversations/0/messages/0/text: must NOT have more than 20000 characters; /donor: must match pattern "^donor-[0-9a-f]{16}$". It will not be sent again automatically.',
    );
  });

  it('409 and 410 fail for good with the reason, other refusals too, even without a JSON body', () => {
    const clash = recordAfterSend(record, answer(409, { error: 'A bundle with this id was already stored with another withdrawal token.', problems: ['bundleId x is taken'] }), context());
    expect(clash.status).toBe('failed');
    expect(clash.lastError).toMatch(/HTTP 409\): A bundle with this id was already stored with another withdrawal token — bundleId x is taken\./);
    const gone = recordAfterSend(record, answer(410), context());
    expect(gone).toMatchObject({ status: 'failed' });
    expect(gone.lastError).toMatch(/withdrawn there \(HTTP 410\)/);
    for (const status of [400, 401, 403, 404, 413, 415]) expect(recordAfterSend(record, answer(status), context()).status).toBe('failed');
    expect(recordAfterSend(record, answer(413), context()).lastError).toMatch(/too large/);
  });

  it('a redirect is not followed: the bundle goes only to the address the user set', () => {
    for (const status of [0, 301, 307, 308]) {
      const moved = recordAfterSend(record, answer(status), context());
      expect(moved.status).toBe('failed');
      expect(moved.lastError).toMatch(/redirect/);
    }
  });
});

describe('after asking the collector to withdraw a bundle', () => {
  it('200 withdrew it; 404 and 410 mean it is gone already', () => {
    for (const status of [200, 204, 404, 410]) expect(withdrawOutcome(answer(status))).toEqual({ withdrawn: true });
  });

  it('no answer, a wrong token or a server error keep it, with a message that says it is still stored', () => {
    expect(withdrawOutcome(unreachable)).toEqual({ withdrawn: false, message: expect.stringMatching(/Could not reach the collector to withdraw.*try again when you are online/) });
    expect(withdrawOutcome(answer(403, { error: 'The withdrawal token does not match this bundle.', problems: ['use the token the bundle was sent with'] })))
      .toEqual({ withdrawn: false, message: expect.stringMatching(/withdrawal token \(HTTP 403: The withdrawal token does not match this bundle — use the token/) });
    expect(withdrawOutcome(answer(500))).toEqual({ withdrawn: false, message: expect.stringMatching(/still stored there/) });
  });
});
