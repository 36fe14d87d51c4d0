/**
 * The preview of a bundle as the user reads it: the exact JSON that will be sent, cut into plain
 * text and the placeholders the de-identifier put in (so the UI can highlight them as text, never
 * as HTML), and the list of items the user can remove.
 */
import { ENTITY_TYPES, type DonationBundle, type EntityType } from './bundle-types';
import type { PreviewItem, PreviewSegment, PreviewSummary } from './donation-store-api';

const PLACEHOLDER = new RegExp(`\\[(${ENTITY_TYPES.join('|')})_\\d+\\]`, 'g');

/** `json` cut at every placeholder (`[EMAIL_1]`); the segments joined are `json` exactly. */
export function segmentPreview(json: string): PreviewSegment[] {
  const segments: PreviewSegment[] = [];
  let plainFrom = 0;
  for (const match of json.matchAll(PLACEHOLDER)) {
    if (match.index > plainFrom) segments.push({ text: json.slice(plainFrom, match.index) });
    segments.push({ text: match[0], entity: match[1] as EntityType });
    plainFrom = match.index + match[0].length;
  }
  if (plainFrom < json.length) segments.push({ text: json.slice(plainFrom) });
  return segments;
}

/** How the store finds the device ids behind a preview item: `c1`, or `c1/m3` for a message. */
export const originKey = (conversation: string, message?: string): string => (message === undefined ? conversation : `${conversation}/${message}`);

const EXCERPT_CHARS = 60;

/** The start of a text on one line, to recognise a message by. */
export function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= EXCERPT_CHARS ? line : `${line.slice(0, EXCERPT_CHARS - 1)}…`;
}

/** Each conversation, then its messages, in bundle order, labelled with de-identified text only. */
export function previewItems(bundle: DonationBundle): PreviewItem[] {
  const items: PreviewItem[] = [];
  for (const conversation of bundle.conversations) {
    const count = conversation.messages.length;
    const opening = conversation.messages[0]?.text ?? '';
    items.push({
      conversation: conversation.id,
      label: `${count} message${count === 1 ? '' : 's'}: “${excerpt(opening)}”`,
    });
    for (const message of conversation.messages) {
      items.push({
        conversation: conversation.id,
        message: message.id,
        label: `${message.role === 'user' ? 'You' : 'Bot'}: “${excerpt(message.text)}”`,
      });
    }
  }
  return items;
}

/** Every text in the bundle a person wrote or a model replied with, in reading order: what may still hold something personal. */
export function bundleTexts(bundle: DonationBundle): string[] {
  const texts: string[] = [];
  for (const conversation of bundle.conversations) {
    for (const message of conversation.messages) {
      texts.push(message.text);
      if (message.feedback?.comment !== undefined) texts.push(message.feedback.comment);
      if (message.feedback?.betterResponse !== undefined) texts.push(message.feedback.betterResponse);
    }
  }
  return texts;
}

export function previewSummary(bundle: DonationBundle): PreviewSummary {
  return {
    conversationCount: bundle.conversations.length,
    messageCount: bundle.conversations.reduce((n, c) => n + c.messages.length, 0),
    includesFeedback: bundle.consent.scope.includesFeedback,
    deidentification: bundle.deidentification,
  };
}
