/**
 * Builds a donation bundle from the chosen conversations: bundle-local ids (c1…, m1…) instead of
 * the device's, no titles or times, every text the user or the model wrote passed through ONE
 * de-identifier so a placeholder means the same thing across the whole bundle. The result is
 * checked against the shared schema before anyone sees it.
 *
 * This module pulls in the de-identifier (and its NLP library): it runs in the de-identification
 * worker (src/donation/deid-worker/deid.worker.ts), or is loaded lazily where there is none (bundle-work.ts).
 */
import type { StoredMessage } from '../storage/schema';
import type { MessageFeedback } from '../feedback/types';
import schema from './bundle-schema.json' with { type: 'json' };
import {
  BUNDLE_SCHEMA_VERSION,
  type BundleConversation,
  type BundleFeedback,
  type BundleMessage,
  type ClassifierOutput,
  type DonationBundle,
} from './bundle-types';
import { CONSENT_TEXT_VERSION, DONATION_PURPOSE } from './consent';
import { createDeidentifier, type Deidentifier } from './deid/index';
import type { DonationSource } from './donation-sources';
import type { DonationPreview } from './donation-store-api';
import { bundleTexts, originKey, previewItems, previewSummary, segmentPreview } from './preview';
import { findRemainingRisks } from './remaining-risks';
import { checkBundle } from './validate-bundle';

// The store checks the confirmed text again with the same validator, loaded with this module.
export { checkBundle };

/** Longest text the schema accepts in one field (from the schema itself, so the two cannot drift). */
export const MAX_TEXT_CHARS: number = schema.definitions.text.maxLength;
export const MAX_CONVERSATIONS: number = schema.properties.conversations.maxItems;
export const MAX_MESSAGES_PER_CONVERSATION: number = schema.definitions.conversation.properties.messages.maxItems;
/** `m` + at most 5 digits. */
const MAX_MESSAGES_PER_BUNDLE = 99_999;

/** What the user took out of the preview, by device id (bundle-local ids change on every rebuild). */
export interface Exclusions {
  conversations: ReadonlySet<string>;
  messages: ReadonlySet<string>;
}

export interface BuildRequest {
  sources: readonly DonationSource[];
  includeFeedback: boolean;
  exclusions: Exclusions;
  bundleId: string;
  /** ISO time; kept across rebuilds of one preview. */
  createdAt: string;
  appVersion: string;
  donor: string;
  consentGivenAt: string;
  declaredTerms: readonly string[];
}

/** Where a bundle-local id came from on the device (kept in memory, never sent). */
export interface Origin {
  conversationId: string;
  messageId?: string;
}

export type BuildResult =
  | {
      ok: true;
      preview: DonationPreview;
      /** Keyed `c1` for a conversation, `c1/m3` for a message. */
      origins: Map<string, Origin>;
      /** Messages left out because they are longer than the schema allows, and why (to tell the user). */
      leftOut: string[];
    }
  /** Nothing left: every message was removed, empty or too long (`leftOut` says which of the last). */
  | { ok: false; reason: 'empty'; leftOut: string[] }
  | { ok: false; reason: 'too-large' | 'invalid'; message: string };

/** Each verdict as a label and the probability of that label, as the BB3x export writes it. */
function rewardOutput(message: StoredMessage): ClassifierOutput | undefined {
  if (!message.reward) return undefined;
  const { label, ok } = message.reward;
  return { label, probability: label === '__ok__' ? ok : 1 - ok };
}

function safetyOutput(message: StoredMessage): ClassifierOutput | undefined {
  if (!message.safety) return undefined;
  const { flagged, unsafe } = message.safety;
  return { label: flagged ? '__unsafe__' : '__safe__', probability: flagged ? unsafe : 1 - unsafe };
}

function feedbackOf(feedback: MessageFeedback, deid: Deidentifier): BundleFeedback {
  const out: BundleFeedback = { rating: feedback.rating, reasons: feedback.rating === 'down' ? [...feedback.reasons] : [] };
  if (feedback.comment.trim() !== '') out.comment = deid.redact(feedback.comment).redacted;
  if (feedback.betterResponse.trim() !== '') out.betterResponse = deid.redact(feedback.betterResponse).redacted;
  return out;
}

function tooLong(message: BundleMessage): boolean {
  return [message.text, message.feedback?.comment, message.feedback?.betterResponse].some((t) => t !== undefined && t.length > MAX_TEXT_CHARS);
}

/**
 * A model id as it may leave the device. Catalog and Hub ids are public names; an imported
 * folder's id carries the folder's name, which can hold the user's own name, so it goes as
 * "imported".
 */
export function publicModelId(modelId: string): string {
  return modelId.startsWith('imported/') ? 'imported' : modelId;
}

/** The model that wrote most replies; ties go to the one that replied first. */
function mostCommonModel(conversations: readonly BundleConversation[]): string {
  const counts = new Map<string, number>();
  for (const c of conversations) for (const m of c.messages) if (m.role === 'assistant' && m.modelId) counts.set(m.modelId, (counts.get(m.modelId) ?? 0) + 1);
  let best: string | null = null;
  for (const [id, count] of counts) if (best === null || count > counts.get(best)!) best = id;
  return best ?? 'unknown';
}

interface Attempt {
  bundle: DonationBundle;
  origins: Map<string, Origin>;
  tooLong: Set<string>;
}

function attempt(request: BuildRequest, skip: ReadonlySet<string>): Attempt {
  const deid = createDeidentifier({ declaredTerms: request.declaredTerms });
  const origins = new Map<string, Origin>();
  const found = new Set<string>();
  const conversations: BundleConversation[] = [];
  let messageNumber = 0;

  for (const source of request.sources) {
    if (request.exclusions.conversations.has(source.conversationId)) continue;
    const thread = source.thread.filter((m) => !request.exclusions.messages.has(m.id) && !skip.has(m.id));
    if (thread.length === 0) continue;
    const conversation: BundleConversation = { id: `c${conversations.length + 1}`, messages: [] };
    origins.set(originKey(conversation.id), { conversationId: source.conversationId });

    for (const stored of thread) {
      // Redacted in reading order, so placeholders are numbered as a reader meets them.
      const message: BundleMessage = { id: `m${++messageNumber}`, role: stored.role, text: deid.redact(stored.content).redacted };
      if (stored.role === 'assistant') {
        if (stored.modelId) message.modelId = publicModelId(stored.modelId);
        message.isSafetyControlledResponse = stored.isSafetyControlledResponse === true;
        const reward = rewardOutput(stored);
        if (reward) message.reward = reward;
        const safety = safetyOutput(stored);
        if (safety) message.safety = safety;
        const feedback = request.includeFeedback ? source.feedback.get(stored.id) : undefined;
        if (feedback) message.feedback = feedbackOf(feedback, deid);
      }
      if (tooLong(message)) found.add(stored.id);
      conversation.messages.push(message);
      origins.set(originKey(conversation.id, message.id), { conversationId: source.conversationId, messageId: stored.id });
    }
    conversations.push(conversation);
  }

  const bundle: DonationBundle = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    bundleId: request.bundleId,
    createdAt: request.createdAt,
    appVersion: request.appVersion,
    modelId: mostCommonModel(conversations),
    donor: request.donor,
    consent: {
      textVersion: CONSENT_TEXT_VERSION,
      givenAt: request.consentGivenAt,
      scope: { purpose: DONATION_PURPOSE, includesFeedback: request.includeFeedback, conversationCount: conversations.length },
    },
    conversations,
    deidentification: deid.report(),
  };
  return { bundle, origins, tooLong: found };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function buildBundle(request: BuildRequest): BuildResult {
  // Refused before any de-identification work, which grows with the bundle.
  const chosen = request.sources.filter((s) => !request.exclusions.conversations.has(s.conversationId)).length;
  if (chosen > MAX_CONVERSATIONS) {
    return { ok: false, reason: 'too-large', message: `A bundle can carry at most ${MAX_CONVERSATIONS} conversations; you chose ${chosen}. Donate them in several bundles.` };
  }
  // A message too long for the schema is left out, never cut. Leaving one out renumbers the
  // placeholders after it, which can change other lengths: rebuild until nothing more is found.
  const skip = new Set<string>();
  let built = attempt(request, skip);
  while (built.tooLong.size > 0) {
    for (const id of built.tooLong) skip.add(id);
    built = attempt(request, skip);
  }
  const { bundle, origins } = built;
  const leftOut = skip.size === 0
    ? []
    : [`${plural(skip.size, 'message was', 'messages were')} left out: longer than ${MAX_TEXT_CHARS.toLocaleString('en')} characters (with feedback), more than a bundle can carry.`];

  if (bundle.conversations.length === 0) {
    return { ok: false, reason: 'empty', leftOut };
  }
  const longest = Math.max(...bundle.conversations.map((c) => c.messages.length));
  if (longest > MAX_MESSAGES_PER_CONVERSATION) {
    return { ok: false, reason: 'too-large', message: `A conversation in a bundle can have at most ${MAX_MESSAGES_PER_CONVERSATION} messages; one you chose has ${longest}. Leave it out.` };
  }
  const messageCount = bundle.conversations.reduce((n, c) => n + c.messages.length, 0);
  if (messageCount > MAX_MESSAGES_PER_BUNDLE) {
    return { ok: false, reason: 'too-large', message: `A bundle can carry at most ${MAX_MESSAGES_PER_BUNDLE} messages; these conversations have ${messageCount}. Donate them in several bundles.` };
  }

  const check = checkBundle(bundle);
  if (!check.ok) {
    return {
      ok: false,
      reason: 'invalid',
      message: `The app built a bundle that does not match the donation schema — a bug, please report it. Nothing was sent. Problems: ${check.problems.join('; ')}`,
    };
  }
  const json = JSON.stringify(bundle, null, 2);
  const preview: DonationPreview = {
    bundle,
    summary: previewSummary(bundle),
    json,
    segments: segmentPreview(json),
    items: previewItems(bundle),
    risks: findRemainingRisks(bundleTexts(bundle)),
  };
  return { ok: true, preview, origins, leftOut };
}
