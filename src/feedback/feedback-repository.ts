import type { ChatDb } from '../storage/db';
import type { StoredMessage } from '../storage/schema';
import { DISLIKE_REASONS, isDislikeReason, normalizeReasons, type DislikeReason } from './taxonomy';
import type { MessageFeedback, Rating } from './types';

export interface FeedbackDetails {
  reasons: DislikeReason[];
  comment: string;
  betterResponse: string;
}

export interface FeedbackFilter {
  rating?: Rating;
  reason?: DislikeReason;
  modelId?: string;
}

/**
 * Rates a bot reply, or changes its rating. The reply's model, backend, dtype and sampling are
 * copied into the record. A thumbs-up drops the dislike reasons; the comment and the better
 * response are kept, so flipping the thumb back and forth loses no text.
 */
export async function rate(db: ChatDb, message: StoredMessage, rating: Rating, now = Date.now()): Promise<MessageFeedback> {
  if (message.role !== 'assistant') throw new Error('Only a bot reply can be rated.');
  const tx = db.transaction('feedback', 'readwrite');
  const current = await tx.store.get(message.id);
  const feedback: MessageFeedback = {
    messageId: message.id,
    conversationId: message.conversationId,
    rating,
    reasons: rating === 'down' ? (current?.reasons ?? []) : [],
    comment: current?.comment ?? '',
    betterResponse: current?.betterResponse ?? '',
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
    ...provenanceOf(message),
  };
  await tx.store.put(feedback);
  await tx.done;
  return feedback;
}

/**
 * Sets the reasons, comment and "what it should have said" of a rated reply. Returns the updated
 * record, or undefined when the reply is not rated. Reasons belong to a thumbs-down only.
 */
export async function setDetails(db: ChatDb, messageId: string, details: Partial<FeedbackDetails>, now = Date.now()): Promise<MessageFeedback | undefined> {
  const reasons = details.reasons === undefined ? undefined : checkedReasons(details.reasons);
  const tx = db.transaction('feedback', 'readwrite');
  const current = await tx.store.get(messageId);
  if (!current) {
    await tx.done;
    return undefined;
  }
  if (current.rating === 'up' && reasons !== undefined && reasons.length > 0) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new Error('Dislike reasons can only be given with a thumbs-down.');
  }
  const updated: MessageFeedback = {
    ...current,
    reasons: reasons ?? current.reasons,
    comment: details.comment ?? current.comment,
    betterResponse: details.betterResponse ?? current.betterResponse,
    updatedAt: now,
  };
  await tx.store.put(updated);
  await tx.done;
  return updated;
}

/** Takes the thumb back: the reply is unrated again and its feedback is gone. */
export function removeRating(db: ChatDb, messageId: string): Promise<void> {
  return db.delete('feedback', messageId);
}

export function getFeedback(db: ChatDb, messageId: string): Promise<MessageFeedback | undefined> {
  return db.get('feedback', messageId);
}

/** Feedback matching `filter`, most recently changed first. */
export async function listFeedback(db: ChatDb, filter: FeedbackFilter = {}): Promise<MessageFeedback[]> {
  const found: MessageFeedback[] = [];
  let cursor = await db.transaction('feedback').store.index('byUpdatedAt').openCursor(null, 'prev');
  while (cursor) {
    if (matches(cursor.value, filter)) found.push(cursor.value);
    cursor = await cursor.continue();
  }
  return found;
}

/** How many thumbs-down name each reason (a reply may name several). */
export async function countsByReason(db: ChatDb, filter: Omit<FeedbackFilter, 'rating' | 'reason'> = {}): Promise<Record<DislikeReason, number>> {
  const counts = Object.fromEntries(DISLIKE_REASONS.map((reason) => [reason, 0])) as Record<DislikeReason, number>;
  let cursor = await db.transaction('feedback').store.openCursor();
  while (cursor) {
    const feedback = cursor.value;
    if (feedback.rating === 'down' && matches(feedback, filter)) {
      for (const reason of feedback.reasons) if (isDislikeReason(reason)) counts[reason] += 1;
    }
    cursor = await cursor.continue();
  }
  return counts;
}

/** Deletes the feedback on the given replies, in one transaction. */
export async function deleteFeedback(db: ChatDb, messageIds: readonly string[]): Promise<void> {
  const tx = db.transaction('feedback', 'readwrite');
  for (const id of messageIds) await tx.store.delete(id);
  await tx.done;
}

export function deleteAllFeedback(db: ChatDb): Promise<void> {
  return db.clear('feedback');
}

function matches(feedback: MessageFeedback, filter: FeedbackFilter): boolean {
  return (filter.rating === undefined || feedback.rating === filter.rating)
    && (filter.reason === undefined || feedback.reasons.includes(filter.reason))
    && (filter.modelId === undefined || feedback.modelId === filter.modelId);
}

function checkedReasons(reasons: readonly unknown[]): DislikeReason[] {
  const unknown = reasons.filter((reason) => !isDislikeReason(reason));
  if (unknown.length > 0) throw new Error(`Unknown dislike reason: ${unknown.map(String).join(', ')}`);
  return normalizeReasons(reasons as DislikeReason[]);
}

function provenanceOf(message: StoredMessage): Pick<MessageFeedback, 'modelId' | 'backend' | 'dtype' | 'sampling'> {
  const provenance: Pick<MessageFeedback, 'modelId' | 'backend' | 'dtype' | 'sampling'> = {};
  if (message.modelId !== undefined) provenance.modelId = message.modelId;
  if (message.backend !== undefined) provenance.backend = message.backend;
  if (message.dtype !== undefined) provenance.dtype = message.dtype;
  if (message.sampling !== undefined) provenance.sampling = { ...message.sampling };
  return provenance;
}
