/**
 * Checks a schema-valid bundle against itself: what JSON Schema cannot say. A bundle that
 * contradicts its own consent record, repeats ids, or puts ratings where the app never does is
 * refused, because the collector's exports would otherwise pass the contradiction on (duplicate
 * `conversation_id`s in BB3x, feedback counted against a consent that excluded it).
 *
 * Every check is one pass over the bundle, and the first problem ends it: the cost never grows
 * with the number of things wrong.
 */
import type { BundleMessage, DonationBundle } from './bundle-types';

/** How far ahead of the checking side's clock a timestamp may be (clocks drift; days are not drift). */
export const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/** No bundle can predate the app; an earlier time is a broken or forged clock. */
export const EARLIEST_BUNDLE_TIME = Date.parse('2024-01-01T00:00:00Z');

/** Fields a user message never carries: the app rates, scores and labels replies only. */
const REPLY_ONLY_FIELDS = ['feedback', 'reward', 'safety', 'modelId', 'isSafetyControlledResponse'] as const satisfies ReadonlyArray<keyof BundleMessage>;

/** The first way `bundle` contradicts itself, or undefined when it is consistent. */
export function bundleContradiction(bundle: DonationBundle, now: number = Date.now()): string | undefined {
  const { consent, conversations } = bundle;
  if (consent.scope.conversationCount !== conversations.length) {
    return `/consent/scope/conversationCount: says ${consent.scope.conversationCount} but the bundle holds ${conversations.length} conversations`;
  }

  const timeProblem = timestampProblem('/createdAt', bundle.createdAt, now) ?? timestampProblem('/consent/givenAt', consent.givenAt, now);
  if (timeProblem !== undefined) return timeProblem;
  if (Date.parse(consent.givenAt) > Date.parse(bundle.createdAt)) {
    return '/consent/givenAt: consent is dated after the bundle was created';
  }

  const conversationIds = new Set<string>();
  const messageIds = new Set<string>();
  for (const [c, conversation] of conversations.entries()) {
    if (conversationIds.has(conversation.id)) return `/conversations/${c}/id: "${conversation.id}" is used twice in this bundle`;
    conversationIds.add(conversation.id);
    for (const [m, message] of conversation.messages.entries()) {
      const where = `/conversations/${c}/messages/${m}`;
      if (messageIds.has(message.id)) return `${where}/id: "${message.id}" is used twice in this bundle`;
      messageIds.add(message.id);
      const problem = messageProblem(message, consent.scope.includesFeedback);
      if (problem !== undefined) return `${where}${problem}`;
    }
  }
  return undefined;
}

function messageProblem(message: BundleMessage, includesFeedback: boolean): string | undefined {
  if (message.role === 'user') {
    const field = REPLY_ONLY_FIELDS.find((name) => message[name] !== undefined);
    if (field !== undefined) return `/${field}: only the bot's replies carry ${field}, not a user's message`;
    return undefined;
  }
  const feedback = message.feedback;
  if (feedback === undefined) return undefined;
  if (!includesFeedback) return '/feedback: the consent record says this bundle includes no feedback';
  if (feedback.rating === 'up' && feedback.reasons.length > 0) return '/feedback/reasons: reasons belong to a thumbs-down only';
  return undefined;
}

function timestampProblem(where: string, value: string, now: number): string | undefined {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return `${where}: "${value}" is not a time this side can read`;
  if (time > now + CLOCK_SKEW_MS) return `${where}: ${value} is in the future`;
  if (time < EARLIEST_BUNDLE_TIME) return `${where}: ${value} is before this app existed`;
  return undefined;
}
