import type { ChatTurn, SamplingSettings } from '../../workers/shared/protocol';
import { DialogueClient } from '../inference/dialogue-client';
import { ModelStore } from '../inference/model-store.svelte';
import {
  createConversation,
  deleteMessages,
  getConversation,
  listConversations,
  listMessages,
  newId,
  saveMessage,
  setCurrentLeaf,
  updateConversation,
} from '../storage/conversations';
import { appDb, onDatabaseEvent, releaseAppDb, type ChatDb, type DatabaseEvent } from '../storage/db';
import { appTabSync, type TabChange, type TabSync } from '../storage/tab-sync';
import type { Conversation, StoredMessage } from '../storage/schema';
import { searchConversations } from '../storage/search';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, type AppSettings } from '../storage/settings';
import { FeedbackStore, type FeedbackChange } from '../feedback/feedback-store.svelte';
import { RewardStore } from '../reward/reward-store.svelte';
import { LearningStore } from '../learning/learning-store.svelte';
import { MAX_BEST_OF_N } from '../storage/settings';
import { deleteBranch, latestLeafUnder, leafAfterFlip, threadTo, visibleThread } from './branches';
import { ConversationDeletions } from './conversation-deletions.svelte';
import { titleFromMessage } from './conversation-title';
import { ModelTitleWriter } from './model-title';
import { askForPersistentStorageOnce } from '../storage/persistence';
import { describeWriteFailure } from '../storage/write-failure';
import { ReplyRun } from './reply-run';

/** The app's state and the actions on it; components read it and call its methods. */
export class ChatStore {
  conversations = $state<Conversation[]>([]);
  activeId = $state<string | null>(null);
  /** Every message of the active conversation, on every branch. */
  tree = $state<StoredMessage[]>([]);
  /** The last message of the thread shown. */
  leafId = $state<string | null>(null);
  /** The thread shown: from the first message to the current leaf. */
  readonly messages = $derived(visibleThread(this.tree, this.leafId));
  streamingId = $state<string | null>(null);
  settings = $state<AppSettings>(structuredClone(DEFAULT_SETTINGS));
  /** The system prompt the next new conversation starts with; edited before its first message. */
  draftSystemPrompt = $state(DEFAULT_SETTINGS.systemPrompt);
  searchQuery = $state('');
  /** Ids matching `searchQuery`; null while no search is active. */
  searchMatches = $state<Set<string> | null>(null);
  deletions = $state<ConversationDeletions | null>(null);
  error = $state<string | null>(null);
  readonly models = new ModelStore(new DialogueClient(), () => this.settings.backend);
  readonly feedback = new FeedbackStore(() => this.db, (change) => {
    this.tabs?.announce({ kind: 'feedback', conversationId: change.kind === 'rated' ? change.feedback.conversationId : null });
    void this.learnFrom(change);
  });
  /** Set while another tab's newer version waits for this tab to let go of the database. */
  reloadNeeded = $state(false);
  /** Said while opening waits for another tab (which holds an older version) to let go. */
  storageNotice = $state<string | null>(null);
  readonly reward = new RewardStore(() => this.db, () => this.settings.backend, () => ({
    ...this.settings.rewardModels,
    host: this.models.host,
  }));
  /** The personal generation adapter: learns from ratings while the model is free (issue 18). */
  readonly learning = new LearningStore(
    () => this.db,
    this.models,
    () => this.settings.learnFromFeedback,
    () => this.streamingId === null && !this.starting,
  );
  /** While N > 1 candidates are written: how far along (generation steps of the batch). */
  candidateProgress = $state<{ tokens: number; maxTokens: number; count: number } | null>(null);
  /** A message to bring into view and mark (after "show in conversation"); cleared once shown. */
  focusMessageId = $state<string | null>(null);

  private db: ChatDb | null = null;
  private readonly titles = new ModelTitleWriter((params, onText) => this.models.client.generate(params, onText));
  /** The reply being written and the promise of its end (stored, or reported as not stored). */
  private running: { run: ReplyRun; ended: Promise<unknown> } | null = null;
  /** Set before the first await of a send, so a second Enter cannot start a second reply. */
  private starting = $state(false);
  private searchRun = 0;
  private tabs: TabSync | null = null;
  /** Replies on screen that could not be stored; saved again before a message that follows them. */
  private readonly unsaved = new Set<string>();

  get activeConversation(): Conversation | undefined {
    return this.conversations.find((c) => c.id === this.activeId);
  }

  /** The conversations the list shows: all of them, or those matching the search. */
  get listedConversations(): Conversation[] {
    const matches = this.searchMatches;
    return this.searchQuery.trim() && matches ? this.conversations.filter((c) => matches.has(c.id)) : this.conversations;
  }

  /** The system prompt of the conversation shown (or of the one the next message starts). */
  get systemPrompt(): string {
    return this.activeConversation?.systemPrompt ?? this.draftSystemPrompt;
  }

  /** Nothing new may start: a reply is being written, or this tab let go of the database for a newer version. */
  get busy(): boolean {
    return this.starting || this.streamingId !== null || this.reloadNeeded;
  }

  async init(): Promise<void> {
    onDatabaseEvent((event) => void this.onDatabaseEvent(event));
    try {
      this.db = await appDb();
    } catch (error) {
      this.error = `Your browser refused local storage (${String(error)}). Conversations cannot be saved in this window (private browsing blocks it in some browsers).`;
      return;
    }
    this.settings = await loadSettings(this.db);
    this.draftSystemPrompt = this.settings.systemPrompt;
    this.deletions = new ConversationDeletions(this.db);
    this.tabs = appTabSync();
    this.tabs.listen((change) => void this.onTabChange(change));
    // Finishing earlier deletions reads every conversation: it runs beside the first render
    // rather than before it (the list never shows soft-deleted conversations anyway).
    const resumingDeletions = this.deletions.resume();
    await this.refreshConversations();
    const newest = this.conversations[0];
    if (newest) await this.selectConversation(newest.id);
    await resumingDeletions;
    // Restores the model chosen last time (from the cache) rather than always the demo.
    void this.models.start(this.db);
    // The reward and safety models load in their own worker alongside the chat model, so they are
    // ready by the first message (the safety filter checks it before the reply starts).
    void this.reward.ensureLoaded();
  }

  async updateSettings(changes: Partial<AppSettings>): Promise<void> {
    const backendChanged = changes.backend !== undefined && changes.backend !== this.settings.backend;
    // A conversation not started yet follows the default until the user gives it its own prompt.
    if (changes.systemPrompt !== undefined && !this.activeId && this.draftSystemPrompt === this.settings.systemPrompt) {
      this.draftSystemPrompt = changes.systemPrompt;
    }
    this.settings = { ...this.settings, ...changes };
    if (this.db) await saveSettings(this.db, $state.snapshot(this.settings));
    if (backendChanged) {
      await this.stop();
      await this.models.load();
    }
    const rewardModelsChanged = changes.rewardModels !== undefined;
    if (rewardModelsChanged || (backendChanged && this.reward.status !== 'idle')) void this.reward.reload();
    if (changes.learnFromFeedback !== undefined) await this.learning.enabledChanged();
  }

  /** Sampling back to what suits the chosen model (its catalog entry), else the app's defaults. */
  async resetSampling(): Promise<void> {
    const modelDefaults: Partial<SamplingSettings> = this.models.model.defaultSampling ?? {};
    await this.updateSettings({ sampling: { ...DEFAULT_SETTINGS.sampling, ...modelDefaults } });
  }

  async newConversation(): Promise<void> {
    await this.stop();
    this.activeId = null;
    this.tree = [];
    this.leafId = null;
    this.draftSystemPrompt = this.settings.systemPrompt;
    await this.feedback.showConversation(null);
  }

  async selectConversation(id: string): Promise<void> {
    if (!this.db) return;
    await this.stop();
    // Read the leaf from the database: flipping versions updates it there, not in the list.
    const [conversation, messages] = await Promise.all([getConversation(this.db, id), listMessages(this.db, id)]);
    await this.feedback.showConversation(id);
    this.activeId = id;
    this.tree = messages;
    this.leafId = conversation?.currentLeafId ?? null;
  }

  /**
   * Opens the conversation holding `messageId` on the thread through it (the latest path after
   * it), and asks the chat view to bring it into view.
   */
  async showMessage(conversationId: string, messageId: string): Promise<boolean> {
    if (!this.db || this.busy) return false;
    await this.selectConversation(conversationId);
    if (this.activeId !== conversationId || !this.tree.some((m) => m.id === messageId)) return false;
    const leaf = latestLeafUnder(this.tree, messageId);
    if (!this.messages.some((m) => m.id === messageId)) {
      this.leafId = leaf;
      await setCurrentLeaf(this.db, conversationId, leaf);
    }
    this.focusMessageId = messageId;
    return true;
  }

  /** Re-reads settings and conversations from IndexedDB, after a backup was imported into it. */
  async reloadFromStorage(): Promise<void> {
    if (!this.db) return;
    this.settings = await loadSettings(this.db);
    await this.refreshConversations();
    const shown = this.activeId ?? this.conversations[0]?.id;
    if (shown && !this.busy) await this.selectConversation(shown);
  }

  async rename(id: string, title: string): Promise<void> {
    if (!this.db || !title.trim()) return;
    await updateConversation(this.db, id, { title: title.trim() });
    this.tabs?.announce({ kind: 'conversations', conversationId: null });
    await this.refreshConversations();
  }

  async setSystemPrompt(text: string): Promise<void> {
    const conversation = this.activeConversation;
    if (!conversation || !this.db) {
      this.draftSystemPrompt = text;
      return;
    }
    // A changed instruction is not a new message: the conversation keeps its place in the list.
    await updateConversation(this.db, conversation.id, { systemPrompt: text, updatedAt: conversation.updatedAt });
    this.tabs?.announce({ kind: 'conversations', conversationId: null });
    await this.refreshConversations();
  }

  /** Hides the conversation at once; `undoDelete` brings it back during the undo window. */
  async deleteConversation(id: string): Promise<void> {
    const conversation = this.conversations.find((c) => c.id === id);
    if (!conversation || !this.deletions) return;
    const wasActive = this.activeId === id;
    if (wasActive) await this.newConversation();
    await this.deletions.delete($state.snapshot(conversation), wasActive);
    this.tabs?.announce({ kind: 'conversations', conversationId: null });
    await this.refreshConversations();
  }

  async undoDelete(): Promise<void> {
    const restored = await this.deletions?.undo();
    if (!restored) return;
    this.tabs?.announce({ kind: 'conversations', conversationId: null });
    await this.refreshConversations();
    if (restored.wasActive) await this.selectConversation(restored.conversation.id);
  }

  async search(query: string): Promise<void> {
    this.searchQuery = query;
    const run = ++this.searchRun;
    if (!this.db || !query.trim()) {
      this.searchMatches = null;
      return;
    }
    const matches = await searchConversations(this.db, query);
    // Typing fast starts several searches; only the latest one may set the result.
    if (run === this.searchRun) this.searchMatches = matches;
  }

  /** Sends a message; false when it was not accepted (busy, or it could not be saved), so the composer keeps it. */
  async send(text: string): Promise<boolean> {
    // Before any await, while the send is still a user gesture.
    askForPersistentStorageOnce();
    const content = text.trim();
    const db = this.db;
    if (!content || !db || this.busy || !this.models.ready) return false;
    this.error = null;
    return this.whileStarting(async () => {
      const conversation = this.activeConversation ?? (await this.startConversation(db, content));
      return this.addUserTurn(db, conversation, this.messages.at(-1) ?? null, content);
    });
  }

  /** A new version of an earlier question: a sibling of `messageId`, answered afresh. The old branch is kept. */
  async editAndResend(messageId: string, text: string): Promise<void> {
    const content = text.trim();
    const original = this.tree.find((m) => m.id === messageId);
    const conversation = this.activeConversation;
    const db = this.db;
    if (!content || !original || original.role !== 'user' || !conversation || !db || this.busy || !this.models.ready) return;
    this.error = null;
    const parent = this.tree.find((m) => m.id === original.parentId) ?? null;
    await this.whileStarting(() => this.addUserTurn(db, conversation, parent, content));
  }

  /** A new version of a reply, next to the earlier ones, which stay reachable. */
  async regenerate(replyId: string): Promise<void> {
    const reply = this.tree.find((m) => m.id === replyId);
    const question = this.tree.find((m) => m.id === reply?.parentId);
    const conversation = this.activeConversation;
    const db = this.db;
    if (!reply || reply.role !== 'assistant' || !question || !conversation || !db || this.busy || !this.models.ready) return;
    this.error = null;
    await this.whileStarting(async () => {
      await this.reply(db, conversation, question);
      return true;
    });
  }

  /** Shows the previous (-1) or next (+1) version of a message, with the latest path after it. */
  async flipVersion(messageId: string, step: -1 | 1): Promise<void> {
    const conversationId = this.activeId;
    if (!this.db || !conversationId || this.busy) return;
    const leaf = leafAfterFlip(this.tree, messageId, step);
    if (leaf === null) return;
    this.leafId = leaf;
    await setCurrentLeaf(this.db, conversationId, leaf);
  }

  /** Deletes one version of a turn and everything after it; the other versions stay. */
  async deleteVersion(messageId: string): Promise<void> {
    const conversationId = this.activeId;
    if (!this.db || !conversationId || this.busy) return;
    const { removedIds, nextLeafId } = deleteBranch(this.tree, messageId, this.messages.at(-1)?.id ?? null);
    await deleteMessages(this.db, conversationId, removedIds, nextLeafId);
    const removed = new Set(removedIds);
    this.tree = this.tree.filter((m) => !removed.has(m.id));
    this.leafId = nextLeafId;
    this.tabs?.announce({ kind: 'conversations', conversationId });
    // Their feedback went with them (in the same transaction).
    await this.feedback.showConversation(conversationId);
  }

  /** Stops the reply being written (if any) and waits until it has ended and been saved. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.run.stop();
    await running.ended;
  }

  /** Runs the start of a send with the chat marked busy, so nothing else starts meanwhile; never leaves it busy. */
  private async whileStarting(start: () => Promise<boolean>): Promise<boolean> {
    this.starting = true;
    try {
      // A title being written gives the model back at once: the user's reply never waits behind it.
      await this.titles.stop();
      return await start();
    } catch (error) {
      this.error = describeWriteFailure(error, 'Your message was not sent');
      return false;
    } finally {
      this.starting = false;
    }
  }

  /** Saves the question, then answers it; false (nothing sent) when the question could not be saved. */
  private async addUserTurn(db: ChatDb, conversation: Conversation, parent: StoredMessage | null, content: string): Promise<boolean> {
    const now = Math.max(Date.now(), (parent?.createdAt ?? 0) + 1);
    const user: StoredMessage = {
      id: newId(), conversationId: conversation.id, parentId: parent?.id ?? null, role: 'user', content,
      createdAt: now, updatedAt: now, status: 'complete',
    };
    // A reply shown but not saved (full disk) is stored first: the question points to it.
    for (const message of threadTo(this.tree, parent?.id ?? null).filter((m) => this.unsaved.has(m.id))) {
      await saveMessage(db, { ...$state.snapshot(message), updatedAt: Date.now() });
      this.unsaved.delete(message.id);
    }
    await saveMessage(db, user, { asCurrentLeaf: true });
    this.tree.push(user);
    this.leafId = user.id;
    await this.reply(db, conversation, user);
    return true;
  }

  /**
   * Answers `question` with a new reply under it, streaming into the UI and saving as it goes
   * (ReplyRun: safety hold-back, best-of-N choice, saving). Always ends with the chat free again.
   */
  private async reply(db: ChatDb, conversation: Conversation, question: StoredMessage): Promise<void> {
    // The model sees only the thread that leads to the question, never the other branches.
    const turns: ChatTurn[] = threadTo(this.tree, question.id)
      .filter((m) => m.status !== 'error')
      .map((m) => ({ role: m.role, content: m.content }));
    const sampling = $state.snapshot(this.settings.sampling);
    const now = Math.max(Date.now(), question.createdAt + 1);
    this.tree.push({
      id: newId(), conversationId: conversation.id, parentId: question.id, role: 'assistant', content: '',
      createdAt: now, updatedAt: now, status: 'partial', stopReason: 'interrupted',
      modelId: this.models.model.spec.id, sampling,
    });
    // Read back through the proxy so streamed edits show up in the UI.
    const reply = this.tree[this.tree.length - 1]!;
    this.leafId = reply.id;
    this.streamingId = reply.id;
    const run = new ReplyRun(
      reply,
      {
        generate: (params, onText, onProgress) => this.models.client.generate(params, onText, onProgress),
        classify: (texts, threshold) => this.reward.classify(texts, threshold),
        score: (context, texts) => this.reward.score(context, texts),
        save: () => saveMessage(db, { ...$state.snapshot(reply), updatedAt: Date.now() }, { asCurrentLeaf: true }),
      },
      (progress) => (this.candidateProgress = progress),
    );
    try {
      const ended = run.run({
        conversationId: conversation.id,
        systemPrompt: this.conversations.find((c) => c.id === conversation.id)?.systemPrompt ?? conversation.systemPrompt,
        turns,
        question: question.content,
        sampling,
        gate: $state.snapshot(this.settings.safetyGate),
        count: Math.min(MAX_BEST_OF_N, Math.max(1, Math.round(this.settings.bestOfN))),
      });
      this.running = { run, ended };
      const outcome = await ended;
      if (outcome.failed) this.error = `The reply failed: ${outcome.failed}`;
      if (outcome.notSaved) {
        this.error = outcome.notSaved;
        this.unsaved.add(reply.id);
      }
    } finally {
      this.running = null;
      this.streamingId = null;
      this.candidateProgress = null;
    }
    // Ratings given while it wrote are learned now that the model is free.
    this.learning.wake();
    this.tabs?.announce({ kind: 'conversations', conversationId: conversation.id });
    await this.refreshConversations().catch(() => undefined);
    void this.titleByModel(conversation.id, question, reply);
  }

  /** After a first reply, the opt-in model-written title (ModelTitleWriter decides whether to ask). */
  private async titleByModel(conversationId: string, question: StoredMessage, reply: StoredMessage): Promise<void> {
    const conversation = this.conversations.find((c) => c.id === conversationId);
    if (!conversation) return;
    await this.titles.titleAfterReply(
      {
        enabled: this.settings.modelTitles, modelReady: this.models.ready, untrainedModel: this.models.model.untrained,
        // Not `busy`: the send that ran this reply still counts as starting until this returns.
        chatIdle: this.streamingId === null && !this.reloadNeeded, conversationId, systemPrompt: conversation.systemPrompt, title: conversation.title,
        question: $state.snapshot(question), reply: $state.snapshot(reply),
      },
      () => this.conversations.find((c) => c.id === conversationId)?.title,
      (title) => this.rename(conversationId, title),
    ).catch(() => undefined);
  }

  /** Other tabs and the browser acting on the database (see DatabaseEvent). */
  private async onDatabaseEvent(event: DatabaseEvent): Promise<void> {
    switch (event.kind) {
      case 'blocked':
        this.storageNotice = 'Updating the app’s storage: close the app’s other tabs, which still run the previous version.';
        return;
      case 'opened':
        this.storageNotice = null;
        return;
      case 'newer-version':
        // Never mid-reply: the reply finishes and is saved, then this tab lets go and asks to reload.
        await this.running?.ended;
        await releaseAppDb();
        this.db = null;
        this.reloadNeeded = true;
        return;
      case 'terminated':
        this.db = null;
        try {
          this.db = await appDb();
        } catch (error) {
          this.error = `The browser closed the app’s storage and it could not be reopened (${String(error)}). Reload the page.`;
        }
        return;
    }
  }

  /** Something this tab shows was changed in another tab: read it again. */
  private async onTabChange(change: TabChange): Promise<void> {
    if (!this.db) return;
    if (change.kind === 'conversations') {
      await this.refreshConversations();
      // The conversation shown got a new message there: show it, unless a reply is being written here.
      if (change.conversationId !== null && change.conversationId === this.activeId && !this.busy) await this.selectConversation(change.conversationId);
    } else if (change.kind === 'feedback' && (change.conversationId === null || change.conversationId === this.activeId)) {
      await this.feedback.showConversation(this.activeId);
    } else if (change.kind === 'restored') {
      await this.onRestored();
    }
  }

  /** A backup was restored (here or in another tab): every copy of stored data is read again. */
  private async onRestored(): Promise<void> {
    const { encoderId, safetyId } = this.settings.rewardModels;
    await this.reloadFromStorage();
    await this.feedback.reread();
    const models = this.settings.rewardModels;
    // Other reward models come with their own head, read as they load; the same ones take the restored head.
    if ((models.encoderId !== encoderId || models.safetyId !== safetyId) && this.reward.status !== 'idle') await this.reward.reload();
    else await this.reward.reloadHead();
    await this.learning.reloadFromStorage();
  }

  /** Teaches the reward model and the generation adapter from a rating change; runs after the rating is stored. */
  private async learnFrom(change: FeedbackChange): Promise<void> {
    if (change.kind === 'cleared') {
      await Promise.all([this.reward.resetHead(), this.learning.forgetAll()]);
      return;
    }
    if (change.kind === 'removed') {
      for (const id of change.messageIds) this.reward.forget(id);
      await this.learning.forget(change.messageIds);
      return;
    }
    const { feedback } = change;
    const inTree = this.tree.some((m) => m.id === feedback.messageId);
    const messages = inTree || !this.db ? $state.snapshot(this.tree) : await listMessages(this.db, feedback.conversationId);
    const thread = threadTo(messages, feedback.messageId);
    const rated = thread.at(-1);
    if (rated?.id !== feedback.messageId) return;
    const context = thread.slice(0, -1).filter((m) => m.status !== 'error').map((m) => ({ role: m.role, content: m.content }));
    this.reward.learn({ messageId: feedback.messageId, context, reply: rated.content, liked: feedback.rating === 'up', reasons: [...feedback.reasons] });
    this.learning.rated({
      messageId: feedback.messageId,
      systemPrompt: this.conversations.find((c) => c.id === feedback.conversationId)?.systemPrompt ?? '',
      turns: context,
      reply: rated.content,
      // A reply stopped early, or one that may have run into the token limit, did not end itself.
      cutAtTokens: rated.status === 'complete' ? (rated.sampling?.maxNewTokens ?? null) : 0,
      temperature: rated.sampling?.temperature ?? this.settings.sampling.temperature,
      liked: feedback.rating === 'up',
      reasons: [...feedback.reasons],
      betterResponse: feedback.betterResponse,
    });
  }

  private async startConversation(db: ChatDb, firstMessage: string): Promise<Conversation> {
    const conversation = await createConversation(db, titleFromMessage(firstMessage), this.draftSystemPrompt);
    this.activeId = conversation.id;
    // Ratings given in the new conversation must land in the feedback shown (it has none yet).
    await this.feedback.showConversation(conversation.id);
    await this.refreshConversations();
    return conversation;
  }

  private async refreshConversations(): Promise<void> {
    if (!this.db) return;
    this.conversations = await listConversations(this.db);
    // New messages may match (or stop matching) the search being shown.
    if (this.searchQuery.trim()) await this.search(this.searchQuery);
  }
}
