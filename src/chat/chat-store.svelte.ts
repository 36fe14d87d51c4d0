import type { ChatTurn, SamplingSettings } from '../../workers/protocol';
import { DialogueClient, type RunningReply } from '../inference/dialogue-client';
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
import { openChatDb, type ChatDb } from '../storage/db';
import type { Conversation, StoredMessage } from '../storage/schema';
import { searchConversations } from '../storage/search';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, type AppSettings } from '../storage/settings';
import { FeedbackStore, type FeedbackChange } from '../feedback/feedback-store.svelte';
import { RewardStore } from '../reward/reward-store.svelte';
import { chooseCandidate, safetyNoteFor, topicChange } from '../reward/selection';
import { MAX_BEST_OF_N } from '../storage/settings';
import { deleteBranch, latestLeafUnder, leafAfterFlip, threadTo, visibleThread } from './branches';
import { ConversationDeletions } from './conversation-deletions.svelte';
import { askForPersistentStorageOnce } from '../storage/persistence';
import { ThrottledWriter } from './streaming-writer';

const TITLE_LENGTH = 40;

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
  readonly feedback = new FeedbackStore(() => this.db, (change) => void this.learnFrom(change));
  readonly reward = new RewardStore(() => this.db, () => this.settings.backend, () => ({
    ...this.settings.rewardModels,
    host: this.models.host,
  }));
  /** While N > 1 candidates are written: how far along (generation steps of the batch). */
  candidateProgress = $state<{ tokens: number; maxTokens: number; count: number } | null>(null);
  /** A message to bring into view and mark (after "show in conversation"); cleared once shown. */
  focusMessageId = $state<string | null>(null);

  private db: ChatDb | null = null;
  private running: RunningReply | null = null;
  /** Stop was asked for while the reply was still being prepared (its first save), before generation. */
  private stopRequested = false;
  private searchRun = 0;

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

  get busy(): boolean {
    return this.streamingId !== null;
  }

  async init(): Promise<void> {
    try {
      this.db = await openChatDb();
    } catch (error) {
      this.error = `Your browser refused local storage (${String(error)}). Conversations cannot be saved in this window (private browsing blocks it in some browsers).`;
      return;
    }
    this.settings = await loadSettings(this.db);
    this.draftSystemPrompt = this.settings.systemPrompt;
    this.deletions = new ConversationDeletions(this.db);
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
    await this.refreshConversations();
  }

  /** Hides the conversation at once; `undoDelete` brings it back during the undo window. */
  async deleteConversation(id: string): Promise<void> {
    const conversation = this.conversations.find((c) => c.id === id);
    if (!conversation || !this.deletions) return;
    const wasActive = this.activeId === id;
    if (wasActive) await this.newConversation();
    await this.deletions.delete($state.snapshot(conversation), wasActive);
    await this.refreshConversations();
  }

  async undoDelete(): Promise<void> {
    const restored = await this.deletions?.undo();
    if (!restored) return;
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

  async send(text: string): Promise<void> {
    // Before any await, while the send is still a user gesture.
    askForPersistentStorageOnce();
    const content = text.trim();
    if (!content || !this.db || this.busy || !this.models.ready) return;
    this.error = null;
    const conversation = this.activeConversation ?? (await this.startConversation(this.db, content));
    await this.addUserTurn(this.db, conversation, this.messages.at(-1) ?? null, content);
  }

  /** A new version of an earlier question: a sibling of `messageId`, answered afresh. The old branch is kept. */
  async editAndResend(messageId: string, text: string): Promise<void> {
    const content = text.trim();
    const original = this.tree.find((m) => m.id === messageId);
    const conversation = this.activeConversation;
    if (!content || !original || original.role !== 'user' || !conversation || !this.db || this.busy || !this.models.ready) return;
    this.error = null;
    const parent = this.tree.find((m) => m.id === original.parentId) ?? null;
    await this.addUserTurn(this.db, conversation, parent, content);
  }

  /** A new version of a reply, next to the earlier ones, which stay reachable. */
  async regenerate(replyId: string): Promise<void> {
    const reply = this.tree.find((m) => m.id === replyId);
    const question = this.tree.find((m) => m.id === reply?.parentId);
    const conversation = this.activeConversation;
    if (!reply || reply.role !== 'assistant' || !question || !conversation || !this.db || this.busy || !this.models.ready) return;
    this.error = null;
    await this.reply(this.db, conversation, question);
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
    // Their feedback went with them (in the same transaction).
    await this.feedback.showConversation(conversationId);
  }

  async stop(): Promise<void> {
    if (this.streamingId !== null && !this.running) this.stopRequested = true;
    const running = this.running;
    if (!running) return;
    running.stop();
    await running.done.catch(() => undefined);
  }

  private async addUserTurn(db: ChatDb, conversation: Conversation, parent: StoredMessage | null, content: string): Promise<void> {
    const now = Math.max(Date.now(), (parent?.createdAt ?? 0) + 1);
    const user: StoredMessage = {
      id: newId(), conversationId: conversation.id, parentId: parent?.id ?? null, role: 'user', content,
      createdAt: now, updatedAt: now, status: 'complete',
    };
    await saveMessage(db, user, { asCurrentLeaf: true });
    this.tree.push(user);
    this.leafId = user.id;
    await this.reply(db, conversation, user);
  }

  /**
   * Answers `question` with a new reply under it, streaming into the UI and saving as it goes.
   * With the safety gate on, an unsafe question or reply becomes a change of topic; with
   * best-of-N, N replies are sampled in one batch and the reward model picks the best safe one.
   */
  private async reply(db: ChatDb, conversation: Conversation, question: StoredMessage): Promise<void> {
    // The model sees only the thread that leads to the question, never the other branches.
    const turns: ChatTurn[] = threadTo(this.tree, question.id)
      .filter((m) => m.status !== 'error')
      .map((m) => ({ role: m.role, content: m.content }));
    const sampling = $state.snapshot(this.settings.sampling);
    const gate = $state.snapshot(this.settings.safetyGate);
    const count = Math.min(MAX_BEST_OF_N, Math.max(1, Math.round(this.settings.bestOfN)));
    const systemPrompt = this.conversations.find((c) => c.id === conversation.id)?.systemPrompt ?? conversation.systemPrompt;
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
    const persist = () => saveMessage(db, { ...$state.snapshot(reply), updatedAt: Date.now() }, { asCurrentLeaf: true });
    const writer = new ThrottledWriter(persist);
    this.stopRequested = false;
    await persist();

    try {
      if (this.stopRequested) {
        reply.status = 'partial';
        reply.stopReason = 'user';
        return;
      }
      if (count > 1) this.candidateProgress = { tokens: 0, maxTokens: sampling.maxNewTokens, count };
      // The question's safety check runs beside the prefill rather than before it, so the first
      // token waits for the slower of the two, not for both. Text is held back until the verdict:
      // a reply to a flagged question never shows.
      let verdictPending = gate.enabled;
      let heldBack = '';
      const running = this.models.client.generate(
        { conversationId: conversation.id, systemPrompt, turns, sampling, candidates: count },
        (delta) => {
          if (verdictPending) {
            heldBack += delta;
            return;
          }
          reply.content += delta;
          writer.schedule();
        },
        (tokens, maxTokens) => (this.candidateProgress = { tokens, maxTokens, count }),
      );
      this.running = running;
      // Awaited below; until then a failure must not count as unhandled.
      running.done.catch(() => undefined);
      if (gate.enabled) {
        const [verdict] = (await this.reward.classify([question.content], gate.threshold)) ?? [];
        if (verdict?.flagged) {
          running.stop();
          await running.done.catch(() => undefined);
          this.replaceWithTopicChange(reply, safetyNoteFor('your message', verdict, gate.threshold));
          reply.safety = verdict;
          return;
        }
        if (!verdict) reply.safetyNote = 'The safety filter could not run, so this reply was not checked.';
        verdictPending = false;
        if (heldBack) {
          reply.content += heldBack;
          writer.schedule();
        }
      }
      const done = await running.done;
      this.candidateProgress = null;
      reply.content = done.text;
      reply.status = done.stoppedByUser ? 'partial' : 'complete';
      reply.stopReason = done.stoppedByUser ? 'user' : undefined;
      reply.metrics = done.metrics;
      reply.backend = done.metrics.backend;
      reply.dtype = done.metrics.dtype;
      reply.prompt = done.prompt;
      // A reply the user stopped is theirs to judge as it is: nothing is swapped under them.
      if (!done.stoppedByUser) await this.choose(reply, turns, done.candidates ?? [done.text], gate);
    } catch (error) {
      reply.status = 'error';
      reply.error = error instanceof Error ? error.message : String(error);
      this.error = `The reply failed: ${reply.error}`;
    } finally {
      this.running = null;
      this.stopRequested = false;
      this.streamingId = null;
      this.candidateProgress = null;
      await writer.settle();
      await persist();
      await this.refreshConversations();
    }
  }

  /** Scores the sampled replies and shows the best safe one, or a change of topic when none is safe. */
  private async choose(reply: StoredMessage, turns: ChatTurn[], texts: string[], gate: { enabled: boolean; threshold: number }): Promise<void> {
    const [safety, rewards] = await Promise.all([
      gate.enabled ? this.reward.classify(texts, gate.threshold) : Promise.resolve(null),
      this.reward.score(turns, texts),
    ]);
    const choice = chooseCandidate(texts.map((text, i) => ({
      text,
      ...(safety?.[i] ? { safety: safety[i] } : {}),
      ...(rewards?.[i] ? { reward: rewards[i] } : {}),
    })));
    reply.choiceReason = choice.reason;
    if (texts.length > 1 || choice.index === null) reply.candidates = choice.candidates;
    if (choice.index === null) {
      const flagged = safety!.reduce((a, b) => (b.unsafe > a.unsafe ? b : a));
      this.replaceWithTopicChange(reply, safetyNoteFor('the reply', flagged, gate.threshold));
      reply.safety = flagged;
      return;
    }
    const chosen = choice.candidates[choice.index]!;
    reply.content = chosen.text;
    if (chosen.reward) reply.reward = chosen.reward;
    if (chosen.safety) reply.safety = chosen.safety;
    if (gate.enabled && !safety) reply.safetyNote = 'The safety filter could not run, so this reply was not checked.';
  }

  private replaceWithTopicChange(reply: StoredMessage, note: string): void {
    reply.content = topicChange(reply.id);
    reply.status = 'complete';
    reply.stopReason = undefined;
    reply.isSafetyControlledResponse = true;
    reply.safetyNote = note;
  }

  /** Teaches the reward model from a rating change; runs after the rating is stored. */
  private async learnFrom(change: FeedbackChange): Promise<void> {
    if (change.kind === 'cleared') {
      await this.reward.resetHead();
      return;
    }
    if (change.kind === 'removed') {
      for (const id of change.messageIds) this.reward.forget(id);
      return;
    }
    const { feedback } = change;
    const inTree = this.tree.some((m) => m.id === feedback.messageId);
    const messages = inTree || !this.db ? $state.snapshot(this.tree) : await listMessages(this.db, feedback.conversationId);
    const thread = threadTo(messages, feedback.messageId);
    const rated = thread.at(-1);
    if (rated?.id !== feedback.messageId) return;
    this.reward.learn({
      messageId: feedback.messageId,
      context: thread.slice(0, -1).filter((m) => m.status !== 'error').map((m) => ({ role: m.role, content: m.content })),
      reply: rated.content,
      liked: feedback.rating === 'up',
      reasons: [...feedback.reasons],
    });
  }

  private async startConversation(db: ChatDb, firstMessage: string): Promise<Conversation> {
    const title = firstMessage.length > TITLE_LENGTH ? `${firstMessage.slice(0, TITLE_LENGTH - 1)}…` : firstMessage;
    const conversation = await createConversation(db, title, this.draftSystemPrompt);
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
