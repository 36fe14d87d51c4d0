/**
 * What a backup may bring of donation (DESIGN §8: a backup never carries donation consent or an
 * endpoint into effect). Consent is the user's act on this device, so:
 * - donation settings come in turned off, without consent and without the donor pseudonym (a
 *   pseudonym someone else knows would single out this user's bundles); only the terms the user
 *   asked to redact are kept, since they can only remove more;
 * - a collector address becomes a suggestion the donation page shows, never the address used;
 * - bundles that were not sent are left out, so nothing from a file is ever queued. Sent and
 *   withdrawn ones are kept: their withdrawal tokens let the user withdraw them from here, and
 *   the outbox never sends a bundle in either state.
 */
import {
  boolean, count, FieldProblem, id, list, MAX_SHORT_TEXT, nullable, object, oneOf, text, time, type Check,
} from '../storage/field-checks';
import type { ImportPlan } from '../storage/import-plan';
import { DONATION_SETTINGS_KEY, normalizeDeclaredTerms } from './donation-settings';
import type { DonationRecord } from './donation-store-api';
import { checkEndpoint, DEFAULT_ENDPOINT } from './endpoint';
import { ENDPOINT_SUGGESTION_KEY, type EndpointSuggestion } from './endpoint-suggestion';
import { DONOR_PATTERN } from './random-secrets';

/** Bundles are sent as they were previewed; the collector takes at most a few MiB. */
const MAX_BODY_LENGTH = 16 * 1024 * 1024;
const MAX_DECLARED_TERMS = 1_000;

/** Read back normalized, as the settings store keeps it. */
const endpoint: Check<string> = (value, field) => {
  const check = checkEndpoint(text(2_048)(value, field));
  if (!check.ok) throw new FieldProblem(field, 'a collector address the app accepts (https://…, or http://localhost)');
  return check.endpoint;
};

/** It goes into an Authorization header: base64url only, so it cannot smuggle anything else in. */
const withdrawalToken: Check<string> = (value, field) => {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,512}$/.test(value)) throw new FieldProblem(field, 'a withdrawal token (letters, digits, - and _)');
  return value;
};

const isoTime: Check<string> = (value, field) => {
  if (typeof value !== 'string' || value.length > 64 || Number.isNaN(Date.parse(value))) throw new FieldProblem(field, 'a date and time');
  return value;
};

const donor: Check<string> = (value, field) => {
  if (typeof value !== 'string' || !DONOR_PATTERN.test(value)) throw new FieldProblem(field, 'a donor pseudonym (donor- and 16 hex digits)');
  return value;
};

const shortText = text(MAX_SHORT_TEXT);

export const donationRecord: Check<DonationRecord> = object(
  {
    bundleId: id,
    createdAt: time,
    status: oneOf(['queued', 'sending', 'sent', 'failed', 'withdrawn'] as const),
    body: text(MAX_BODY_LENGTH),
    endpoint,
    conversationCount: count,
    messageCount: count,
    withdrawalToken,
    attempts: count,
  },
  {
    nextAttemptAt: time,
    lastError: text(),
    receipt: object({ receiptId: shortText, receivedAt: shortText }),
    withdrawnAt: time,
  },
);

/** The settings record as any version of the app may have written it; donation-settings.ts fills gaps with defaults. */
const storedDonationSettings = object(
  {},
  { enabled: boolean, endpoint, declaredTerms: list(shortText, MAX_DECLARED_TERMS), donor, consentGivenAt: nullable(isoTime) },
  { dropUndefined: true },
);

const endpointSuggestion: Check<EndpointSuggestion> = object({ endpoint });

/** Adds a `donations` record to the plan if the import may keep it (see the top of this file). */
export function planDonationRecord(plan: ImportPlan, key: string, value: unknown): void {
  const record = donationRecord(value, '');
  if (record.status === 'sent' || record.status === 'withdrawn') plan.add('donations', key, record);
  else plan.note({ kind: 'unsent-donation' });
}

/** Plans the `settings` record of donation: off, no consent, no pseudonym; the address only as a suggestion. */
export function planDonationSettings(plan: ImportPlan, value: unknown): void {
  const stored = storedDonationSettings(value, '');
  if (stored.enabled === true || (stored.consentGivenAt ?? null) !== null) plan.note({ kind: 'donation-kept-off' });
  const declaredTerms = normalizeDeclaredTerms(stored.declaredTerms ?? []);
  // Nothing else worth keeping: with no terms, the device keeps no trace of donation at all.
  if (declaredTerms.length > 0) {
    plan.add('settings', DONATION_SETTINGS_KEY, { enabled: false, endpoint: DEFAULT_ENDPOINT, declaredTerms, consentGivenAt: null });
  }
  if (stored.endpoint !== undefined && stored.endpoint !== DEFAULT_ENDPOINT) planSuggestion(plan, stored.endpoint);
}

/** A suggestion that was pending when the backup was made stays a suggestion. */
export function planEndpointSuggestion(plan: ImportPlan, value: unknown): void {
  planSuggestion(plan, endpointSuggestion(value, '').endpoint);
}

function planSuggestion(plan: ImportPlan, suggested: string): void {
  const record: EndpointSuggestion = { endpoint: suggested };
  plan.add('settings', ENDPOINT_SUGGESTION_KEY, record);
  plan.note({ kind: 'endpoint-suggested', endpoint: suggested });
}
