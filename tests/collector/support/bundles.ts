/**
 * Builds valid donation bundles (schema version 1) for the collector's tests and benchmark:
 * alternating user/assistant threads with de-identified placeholders, ratings with reasons,
 * comments and "what it should have said", reward and safety verdicts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { BundleConversation, BundleMessage, DonationBundle } from '../../../src/donation/bundle-types';
import { DISLIKE_REASONS, type DislikeReason } from '../../../src/feedback/taxonomy';
import { seededRng, type Rng } from './rng';

export interface BundleOptions {
  /** Same seed, same bundle (apart from bundleId, which stays random unless given). */
  rng?: Rng;
  bundleId?: string;
  conversations?: number;
  /** User/assistant pairs per conversation. */
  turns?: number;
  /** Words per message, as [min, max]. */
  words?: readonly [number, number];
}

const WORDS = (
  'the a of to and in is it that for on with as was at by this from be or have an are not but what all were when we ' +
  'there can your which their if do will each about how up out them then she many some so these would other into has ' +
  'more her two like him see time could no make than first been its who now people my made over did down only way find ' +
  'use may water long little very after words called just where most know get through back much go good new write our ' +
  'recipe garden weather travel music library bicycle kitchen bread coffee mountain river question answer story plan'
).split(' ');

const PLACEHOLDERS = ['[PERSON_1]', '[PLACE_1]', '[EMAIL_1]', '[PHONE_1]', '[URL_1]', '[PERSON_2]'];

/** A withdrawal token like the app makes: 43 characters of base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function makeBundle(options: BundleOptions = {}): DonationBundle {
  const rng = options.rng ?? seededRng(Math.floor(Math.random() * 2 ** 32));
  const conversationCount = options.conversations ?? rng.int(1, 3);
  const conversations: BundleConversation[] = [];
  const counts: Record<string, number> = {};
  // Message ids are unique across the bundle, as the app numbers them.
  let messageNumber = 0;
  for (let c = 1; c <= conversationCount; c++) {
    const messages: BundleMessage[] = [];
    const turns = options.turns ?? rng.int(2, 5);
    for (let t = 0; t < turns; t++) {
      messages.push({ id: `m${++messageNumber}`, role: 'user', text: sentence(rng, options.words, counts) });
      messages.push(assistantMessage(rng, `m${++messageNumber}`, options.words, counts));
    }
    conversations.push({ id: `c${c}`, messages });
  }
  const now = new Date().toISOString();
  return {
    schemaVersion: 1,
    bundleId: options.bundleId ?? randomUUID(),
    createdAt: now,
    appVersion: '0.1.0',
    modelId: 'smollm2-135m-instruct',
    donor: `donor-${Buffer.from(rng.bytes(8)).toString('hex')}`,
    consent: {
      textVersion: '2026-01',
      givenAt: now,
      scope: { purpose: 'Improve open chat models with my feedback.', includesFeedback: true, conversationCount },
    },
    conversations,
    deidentification: { method: 'feedback-chat-deid', methodVersion: '1.0.0', counts },
  };
}

function assistantMessage(rng: Rng, id: string, words: BundleOptions['words'], counts: Record<string, number>): BundleMessage {
  const message: BundleMessage = {
    id,
    role: 'assistant',
    text: sentence(rng, words, counts),
    modelId: 'smollm2-135m-instruct',
    reward: { label: rng.chance(0.7) ? '__ok__' : '__notok__', probability: round(rng.next()) },
    safety: { label: '__safe__', probability: round(0.5 + rng.next() / 2) },
  };
  if (rng.chance(0.05)) message.isSafetyControlledResponse = true;
  const roll = rng.next();
  if (roll < 0.3) {
    message.feedback = { rating: 'up', reasons: [] };
  } else if (roll < 0.6) {
    const reasons = DISLIKE_REASONS.filter(() => rng.chance(0.3)) as DislikeReason[];
    message.feedback = { rating: 'down', reasons };
    if (rng.chance(0.6)) message.feedback.betterResponse = sentence(rng, words, counts);
    if (rng.chance(0.4)) message.feedback.comment = sentence(rng, [4, 12], counts);
  }
  return message;
}

function sentence(rng: Rng, words: BundleOptions['words'] = [8, 60], counts: Record<string, number>): string {
  const n = rng.int(words[0], words[1]);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.03)) {
      const placeholder = rng.pick(PLACEHOLDERS);
      const type = placeholder.slice(1, placeholder.lastIndexOf('_'));
      counts[type] = (counts[type] ?? 0) + 1;
      out.push(placeholder);
    } else {
      out.push(rng.pick(WORDS));
    }
  }
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
