import type { ChatDb } from './db';
import type { StoredMessage } from './schema';

/** Messages read per request while searching. */
const SEARCH_BATCH = 500;

/** The lower-cased words of a search query. */
export function searchTerms(query: string): string[] {
  return query.toLocaleLowerCase().split(/\s+/).filter((term) => term.length > 0);
}

/** The terms that `text` does not contain (case-insensitive, anywhere in the text). */
export function termsMissingFrom(terms: readonly string[], text: string): string[] {
  const haystack = text.toLocaleLowerCase();
  return terms.filter((term) => !haystack.includes(term));
}

/**
 * Ids of the conversations that contain every word of `query` somewhere in their title or in
 * any of their messages (every branch counts: an older version is still the user's text).
 * Deleted conversations never match. An empty query matches nothing; callers show the full list.
 */
export async function searchConversations(db: ChatDb, query: string): Promise<Set<string>> {
  const terms = searchTerms(query);
  const matches = new Set<string>();
  if (terms.length === 0) return matches;

  const tx = db.transaction(['conversations', 'messages'], 'readonly');
  const missing = new Map<string, string[]>();
  for (const conversation of await tx.objectStore('conversations').getAll()) {
    if (conversation.deletedAt !== undefined) continue;
    missing.set(conversation.id, termsMissingFrom(terms, conversation.title));
  }
  // One pass over the messages in batches: a cursor costs a round trip per message (seconds for
  // thousands of them), loading every message at once costs memory that grows without bound.
  const messages = tx.objectStore('messages');
  let after: string | null = null;
  for (;;) {
    const batch: StoredMessage[] = await messages.getAll(after === null ? null : IDBKeyRange.lowerBound(after, true), SEARCH_BATCH);
    for (const { conversationId, content } of batch) {
      const stillMissing = missing.get(conversationId);
      if (stillMissing && stillMissing.length > 0) missing.set(conversationId, termsMissingFrom(stillMissing, content));
    }
    if (batch.length < SEARCH_BATCH) break;
    after = batch[batch.length - 1]!.id;
  }
  await tx.done;

  for (const [id, stillMissing] of missing) if (stillMissing.length === 0) matches.add(id);
  return matches;
}
