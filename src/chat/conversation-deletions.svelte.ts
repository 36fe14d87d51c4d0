import {
  listDeletedConversations,
  purgeDeletedConversation,
  restoreConversation,
  softDeleteConversation,
} from '../storage/conversations';
import type { ChatDb } from '../storage/db';
import type { Conversation } from '../storage/schema';

/** How long a deleted conversation can be brought back. */
export const UNDO_WINDOW_MS = 8_000;

export interface PendingDeletion {
  conversation: Conversation;
  /** It was open when deleted, so undoing opens it again. */
  wasActive: boolean;
}

/**
 * Delete with undo. A deleted conversation is only marked (hidden everywhere) and really deleted
 * when its undo window ends. The mark lives in IndexedDB, so a reload during the window neither
 * brings the conversation back nor leaves it behind: `resume` finishes what the last page began.
 */
export class ConversationDeletions {
  /** The deletion the "Undo" notice offers; only the latest one is offered. */
  pending = $state<PendingDeletion | null>(null);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly db: ChatDb) {}

  async delete(conversation: Conversation, wasActive: boolean): Promise<void> {
    const deletedAt = Date.now();
    await softDeleteConversation(this.db, conversation.id, deletedAt);
    this.pending = { conversation: { ...conversation, deletedAt }, wasActive };
    this.purgeLater(conversation.id, UNDO_WINDOW_MS);
  }

  /** Restores the offered conversation exactly as it was; returns what was restored. */
  async undo(): Promise<PendingDeletion | null> {
    const pending = this.pending;
    if (!pending) return null;
    const id = pending.conversation.id;
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.pending = null;
    await restoreConversation(this.db, id);
    return pending;
  }

  /** Hides the notice; the deletion goes ahead when its window ends. */
  dismiss(): void {
    this.pending = null;
  }

  /**
   * After a (re)load: deletions whose window has passed are made final; the others get the rest
   * of their window, and the newest is offered for undo again.
   */
  async resume(): Promise<void> {
    const now = Date.now();
    const deleted = await listDeletedConversations(this.db);
    const expired = deleted.filter((c) => c.deletedAt! < now - UNDO_WINDOW_MS);
    for (const conversation of expired) await purgeDeletedConversation(this.db, conversation.id);
    const waiting = deleted.filter((c) => !expired.includes(c));
    for (const conversation of waiting) this.purgeLater(conversation.id, conversation.deletedAt! + UNDO_WINDOW_MS - now);
    const newest = waiting.at(-1);
    if (newest) this.pending = { conversation: newest, wasActive: false };
  }

  private purgeLater(id: string, delayMs: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.set(id, setTimeout(() => {
      this.timers.delete(id);
      if (this.pending?.conversation.id === id) this.pending = null;
      void purgeDeletedConversation(this.db, id);
    }, Math.max(0, delayMs)));
  }
}
