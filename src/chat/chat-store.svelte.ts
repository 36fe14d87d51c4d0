import type { ChatTurn, LoadProgress } from '../../workers/protocol';
import { DialogueClient, DialogueError, type ReadyInfo, type RunningReply } from '../inference/dialogue-client';
import { DEMO_MODEL, type CatalogEntry } from '../inference/model-catalog';
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

export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
  done: boolean;
}

export type ModelPhase = 'idle' | 'loading' | 'ready' | 'error';

const TITLE_LENGTH = 40;

/** The app's state and the actions on it; components read it and call its methods. */
export class ChatStore {
  conversations = $state<Conversation[]>([]);
  activeId = $state<string | null>(null);
  messages = $state<StoredMessage[]>([]);
  streamingId = $state<string | null>(null);
  settings = $state<AppSettings>(structuredClone(DEFAULT_SETTINGS));
  model = $state<CatalogEntry>(DEMO_MODEL);
  modelPhase = $state<ModelPhase>('idle');
  modelFiles = $state<FileProgress[]>([]);
  runtime = $state<ReadyInfo | null>(null);
  error = $state<string | null>(null);

  private db: ChatDb | null = null;
  private running: RunningReply | null = null;
  private readonly client = new DialogueClient();

  constructor() {
    this.client.onCrash((error) => {
      this.error = error.message;
      this.runtime = null;
      void this.loadModel();
    });
  }

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
    void this.loadModel();
  }

  async loadModel(): Promise<void> {
    this.modelPhase = 'loading';
    this.modelFiles = [];
    try {
      // Svelte state is a proxy, which postMessage cannot clone: send a plain copy.
      this.runtime = await this.client.load($state.snapshot(this.model.spec), this.settings.backend, (p) => this.trackProgress(p));
      this.modelPhase = 'ready';
    } catch (error) {
      this.modelPhase = 'error';
      this.error = error instanceof DialogueError ? error.message : String(error);
    }
  }

  async updateSettings(changes: Partial<AppSettings>): Promise<void> {
    const backendChanged = changes.backend !== undefined && changes.backend !== this.settings.backend;
    this.settings = { ...this.settings, ...changes };
    if (this.db) await saveSettings(this.db, $state.snapshot(this.settings));
    if (backendChanged) {
      await this.stop();
      await this.loadModel();
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
    if (!content || !this.db || this.streamingId || this.modelPhase !== 'ready') return;
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
      modelId: this.model.spec.id, sampling,
    });
    // Read back through the proxy so streamed edits show up in the UI.
    const reply = this.messages[this.messages.length - 1]!;
    this.streamingId = reply.id;
    const persist = () => saveMessage(db, { ...$state.snapshot(reply), updatedAt: Date.now() });
    const writer = new ThrottledWriter(persist);
    await persist();

    this.running = this.client.generate(
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

  private trackProgress(progress: LoadProgress): void {
    const existing = this.modelFiles.find((f) => f.file === progress.file);
    const entry = existing ?? { file: progress.file, loaded: 0, total: 0, done: false };
    if (progress.status === 'progress') {
      entry.loaded = progress.loaded;
      entry.total = progress.total;
    }
    if (progress.status === 'done') entry.done = true;
    if (!existing) this.modelFiles.push(entry);
  }
}
