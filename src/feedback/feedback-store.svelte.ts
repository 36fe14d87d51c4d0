import { SvelteMap } from 'svelte/reactivity';
import type { ChatDb } from '../storage/db';
import type { StoredMessage } from '../storage/schema';
import {
  countsByReason,
  deleteAllFeedback,
  deleteFeedback,
  listFeedback,
  rate,
  removeRating,
  setDetails,
  type FeedbackDetails,
  type FeedbackFilter,
} from './feedback-repository';
import type { DislikeReason } from './taxonomy';
import type { MessageFeedback, Rating } from './types';

/**
 * The feedback the UI shows, kept in step with IndexedDB. The chat view reads the ratings of the
 * conversation shown (`forMessage`); the "Your feedback" view lists and deletes across all of
 * them. Every change is written to the database first and shown after, so what the user sees is
 * what is stored.
 */
/** A change to the stored ratings, for whoever learns from them (the reward model). */
export type FeedbackChange =
  | { kind: 'rated'; feedback: MessageFeedback }
  | { kind: 'removed'; messageIds: readonly string[] }
  | { kind: 'cleared' };

export class FeedbackStore {
  /** Ratings of the conversation shown, by message id. */
  readonly byMessage = new SvelteMap<string, MessageFeedback>();
  /** Bumped on every change, so views listing feedback know to read it again. */
  revision = $state(0);
  error = $state<string | null>(null);

  private conversationId: string | null = null;

  constructor(
    private readonly database: () => ChatDb | null,
    /** Told after each change is stored; never awaited, so it cannot slow a rating down. */
    private readonly onChange: (change: FeedbackChange) => void = () => undefined,
  ) {}

  forMessage(messageId: string): MessageFeedback | undefined {
    return this.byMessage.get(messageId);
  }

  /** Reads the ratings of the conversation now shown (none for a new conversation). */
  async showConversation(conversationId: string | null): Promise<void> {
    this.conversationId = conversationId;
    const db = this.database();
    const found = db && conversationId ? await db.getAllFromIndex('feedback', 'byConversation', conversationId) : [];
    // Another conversation may have been opened while this one was read.
    if (this.conversationId !== conversationId) return;
    this.byMessage.clear();
    for (const feedback of found) this.byMessage.set(feedback.messageId, feedback);
  }

  /** Thumbs up or down; pressing the thumb already given takes the rating back. */
  async toggle(message: StoredMessage, rating: Rating): Promise<void> {
    if (this.byMessage.get(message.id)?.rating === rating) {
      await this.remove([message.id]);
      return;
    }
    await this.write(async (db) => {
      const saved = await rate(db, message, rating);
      this.remember(saved);
      this.onChange({ kind: 'rated', feedback: saved });
    });
  }

  async saveDetails(messageId: string, details: Partial<FeedbackDetails>): Promise<void> {
    await this.write(async (db) => {
      const saved = await setDetails(db, messageId, details);
      if (saved) {
        this.remember(saved);
        this.onChange({ kind: 'rated', feedback: saved });
      }
    });
  }

  async remove(messageIds: readonly string[]): Promise<void> {
    await this.write(async (db) => {
      if (messageIds.length === 1) await removeRating(db, messageIds[0]!);
      else await deleteFeedback(db, messageIds);
      for (const id of messageIds) this.byMessage.delete(id);
      this.onChange({ kind: 'removed', messageIds });
    });
  }

  /** Puts deleted records back as they were (the undo of a delete). */
  async restore(records: readonly MessageFeedback[]): Promise<void> {
    await this.write(async (db) => {
      const tx = db.transaction('feedback', 'readwrite');
      for (const record of records) await tx.store.put($state.snapshot(record) as MessageFeedback);
      await tx.done;
      for (const record of records) {
        if (record.conversationId === this.conversationId) this.byMessage.set(record.messageId, record);
        this.onChange({ kind: 'rated', feedback: record });
      }
    });
  }

  async removeAll(): Promise<void> {
    await this.write(async (db) => {
      await deleteAllFeedback(db);
      this.byMessage.clear();
      this.onChange({ kind: 'cleared' });
    });
  }

  /** Reads the ratings shown again and tells the views listing them, after they changed beside this store (a restored backup). */
  async reread(): Promise<void> {
    await this.showConversation(this.conversationId);
    this.revision += 1;
  }

  async list(filter: FeedbackFilter = {}): Promise<MessageFeedback[]> {
    const db = this.database();
    return db ? listFeedback(db, filter) : [];
  }

  async reasonCounts(filter: Omit<FeedbackFilter, 'rating' | 'reason'> = {}): Promise<Record<DislikeReason, number> | null> {
    const db = this.database();
    return db ? countsByReason(db, filter) : null;
  }

  /** The messages that rated records point at, for showing excerpts next to them. */
  async messages(ids: readonly string[]): Promise<Map<string, StoredMessage>> {
    const db = this.database();
    const found = new Map<string, StoredMessage>();
    if (!db) return found;
    const tx = db.transaction('messages');
    const messages = await Promise.all(ids.map((id) => tx.store.get(id)));
    for (const message of messages) if (message) found.set(message.id, message);
    return found;
  }

  private remember(feedback: MessageFeedback): void {
    if (feedback.conversationId === this.conversationId) this.byMessage.set(feedback.messageId, feedback);
  }

  private async write(change: (db: ChatDb) => Promise<void>): Promise<void> {
    const db = this.database();
    if (!db) {
      this.error = 'Feedback cannot be saved: local storage is not available in this window.';
      return;
    }
    try {
      await change(db);
      this.error = null;
      this.revision += 1;
    } catch (error) {
      this.error = `Your feedback was not saved (${error instanceof Error ? error.message : String(error)}). Free some disk space and try again.`;
    }
  }
}
