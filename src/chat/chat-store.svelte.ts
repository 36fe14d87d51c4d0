import type { ChatTurn } from '../../workers/protocol';
import { DialogueClient, type RunningReply } from '../inference/dialogue-client';
import { ModelStore } from '../inference/model-store.svelte';
import {
  createConversation,
  deleteConversation,
  listConversations,
  listMessages,
  newId,
  saveMessage,
  updateConversation,
} from '../storage/conversations';
import { openChatDb, type ChatDb } from '../storage/db';
import type { Conversation, StoredMessage } from '../storage/schema';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, type AppSettings } from '../storage/settings';
import { ThrottledWriter } from './streaming-writer';

const TITLE_LENGTH = 40;

/** The app's state and the actions on it; components read it and call its methods. */
export class ChatStore {
  conversations = $state<Conversation[]>([]);
  activeId = $state<string | null>(null);
  messages = $state<StoredMessage[]>([]);
  streamingId = $state<string | null>(null);
  settings = $state<AppSettings>(structuredClone(DEFAULT_SETTINGS));
  error = $state<string | null>(null);
  readonly models = new ModelStore(new DialogueClient(), () => this.settings.backend);

  private db: ChatDb | null = null;
  private running: RunningReply | null = null;

  get activeConversation(): Conversation | undefined {
    return this.conversations.find((c) => c.id === this.activeId);
  }

  async init(): Promise<void> {
    try {
      this.db = await openChatDb();
    } catch (error) {
      this.error = `Your browser refused local storage (${String(error)}). Conversations cannot be saved in this window (private browsing blocks it in some browsers).`;
      return;
    }
    this.settings = await loadSettings(this.db);
    await this.refreshConversations();
    const newest = this.conversations[0];
    if (newest) await this.selectConversation(newest.id);
    void this.models.load();
  }

  async updateSettings(changes: Partial<AppSettings>): Promise<void> {
    const backendChanged = changes.backend !== undefined && changes.backend !== this.settings.backend;
    this.settings = { ...this.settings, ...changes };
    if (this.db) await saveSettings(this.db, $state.snapshot(this.settings));
    if (backendChanged) {
      await this.stop();
      await this.models.load();
    }
  }

  async newConversation(): Promise<void> {
    await this.stop();
    this.activeId = null;
    this.messages = [];
  }

  async selectConversation(id: string): Promise<void> {
    if (!this.db) return;
    await this.stop();
    this.activeId = id;
    this.messages = await listMessages(this.db, id);
  }

  async removeConversation(id: string): Promise<void> {
    if (!this.db) return;
    if (this.activeId === id) await this.newConversation();
    await deleteConversation(this.db, id);
    await this.refreshConversations();
  }

  async send(text: string): Promise<void> {
    const content = text.trim();
    if (!content || !this.db || this.streamingId || !this.models.ready) return;
    const db = this.db;
    this.error = null;
    const conversation = this.activeConversation ?? (await this.startConversation(db, content));
    const now = Date.now();
    const user: StoredMessage = {
      id: newId(), conversationId: conversation.id, role: 'user', content,
      createdAt: now, updatedAt: now, status: 'complete',
    };
    await saveMessage(db, user);
    this.messages.push(user);
    await this.reply(db, conversation);
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.stop();
    await running.done.catch(() => undefined);
  }

  private async reply(db: ChatDb, conversation: Conversation): Promise<void> {
    const turns: ChatTurn[] = this.messages
      .filter((m) => m.status !== 'error')
      .map((m) => ({ role: m.role, content: m.content }));
    const sampling = $state.snapshot(this.settings.sampling);
    const now = Date.now();
    this.messages.push({
      id: newId(), conversationId: conversation.id, role: 'assistant', content: '',
      createdAt: now + 1, updatedAt: now + 1, status: 'partial', stopReason: 'interrupted',
      modelId: this.models.model.spec.id, sampling,
    });
    // Read back through the proxy so streamed edits show up in the UI.
    const reply = this.messages[this.messages.length - 1]!;
    this.streamingId = reply.id;
    const persist = () => saveMessage(db, { ...$state.snapshot(reply), updatedAt: Date.now() });
    const writer = new ThrottledWriter(persist);
    await persist();

    this.running = this.models.client.generate(
      { conversationId: conversation.id, systemPrompt: conversation.systemPrompt, turns, sampling },
      (delta) => {
        reply.content += delta;
        writer.schedule();
      },
    );
    try {
      const done = await this.running.done;
      reply.content = done.text;
      reply.status = done.stoppedByUser ? 'partial' : 'complete';
      reply.stopReason = done.stoppedByUser ? 'user' : undefined;
      reply.metrics = done.metrics;
      reply.backend = done.metrics.backend;
      reply.dtype = done.metrics.dtype;
      reply.prompt = done.prompt;
    } catch (error) {
      reply.status = 'error';
      reply.error = error instanceof Error ? error.message : String(error);
      this.error = `The reply failed: ${reply.error}`;
    } finally {
      this.running = null;
      this.streamingId = null;
      await writer.settle();
      await persist();
      await this.refreshConversations();
    }
  }

  private async startConversation(db: ChatDb, firstMessage: string): Promise<Conversation> {
    const title = firstMessage.length > TITLE_LENGTH ? `${firstMessage.slice(0, TITLE_LENGTH - 1)}…` : firstMessage;
    const conversation = await createConversation(db, title, this.settings.systemPrompt);
    this.activeId = conversation.id;
    await this.refreshConversations();
    return conversation;
  }

  async rename(id: string, title: string): Promise<void> {
    if (!this.db || !title.trim()) return;
    await updateConversation(this.db, id, { title: title.trim() });
    await this.refreshConversations();
  }

  private async refreshConversations(): Promise<void> {
    if (this.db) this.conversations = await listConversations(this.db);
  }
}
