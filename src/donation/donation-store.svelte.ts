import { appDb, openChatDb, type ChatDb } from '../storage/db';
import { APP_VERSION } from './app-version';
import type { BuildResult, Origin } from './bundle-builder';
import type { BundleWork, PreviewBuild } from './bundle-work';
import { deleteBundle } from './collector-client';
import { CONSENT_TEXT, CONSENT_TEXT_VERSION } from './consent';
import { addDonation, getDonation, listDonations, requeueInterruptedSends, updateDonation } from './donation-repository';
import { defaultDonationSettings, loadDonationSettings, normalizeDeclaredTerms, saveDonationSettings } from './donation-settings';
import { listDonationCandidates, readDonationSources } from './donation-sources';
import type {
  DonationCandidate,
  DonationPreview,
  DonationRecord,
  DonationSettings,
  DonationStoreApi,
  PreviewItem,
} from './donation-store-api';
import { defaultBundleWork, type WorkContext } from './deid-client';
import { checkEndpoint } from './endpoint';
import { clearEndpointSuggestion, loadEndpointSuggestion } from './endpoint-suggestion';
import { Outbox, timeoutScheduler, type Scheduler } from './outbox';
import { withdrawOutcome } from './outbox-policy';
import { withRisks } from './posted-preview';
import { originKey } from './preview';
import { newDonorPseudonym, newWithdrawalToken } from './random-secrets';
import { DB_NAME } from '../storage/schema';
import { describeWriteFailure } from '../storage/write-failure';
import { exclusiveAcrossTabs, OUTBOX_LOCK } from '../storage/tab-lock';
import { appTabSync, type TabSync } from '../storage/tab-sync';

export interface DonationStoreOptions {
  /** The app's database (its default name unless a test gives another). */
  dbName?: string;
  /** Used only when something is sent or withdrawn; the global fetch when absent. */
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  isOnline?: () => boolean;
  schedule?: Scheduler;
  /** Where 'online' events come from: the window when absent. */
  onlineEvents?: EventTarget | null;
  /**
   * Where bundles are read, de-identified and checked, made on the first preview (not with the
   * chat): a web worker in the browser, this thread in Node (deid-client.ts `defaultBundleWork`).
   */
  work?: (context: WorkContext) => BundleWork;
}

/**
 * What a preview was built from, so removing an item can rebuild it exactly (the conversations
 * themselves are kept where they were read: kept-sources.ts). Kept in memory only.
 */
interface PreviewSession {
  conversationIds: string[];
  includeFeedback: boolean;
  exclusions: { conversations: Set<string>; messages: Set<string> };
  bundleId: string;
  createdAt: string;
  /** Bundle-local id → device id, for the preview on show. */
  origins: Map<string, Origin>;
  /** Strings the user chose to replace from the remaining-risk list: redacted like declared terms, in this bundle only. */
  replaced: string[];
  /** Strings the user chose to keep from that list: no longer shown. */
  kept: Set<string>;
}

const UNSENT = new Set<DonationRecord['status']>(['queued', 'failed']);

function withoutRetry({ nextAttemptAt: _n, lastError: _e, ...rest }: DonationRecord): Omit<DonationRecord, 'nextAttemptAt' | 'lastError'> {
  return rest;
}

/** Due now; the last error stays shown until the next try replaces it. */
function withoutSchedule({ nextAttemptAt: _n, ...rest }: DonationRecord): Omit<DonationRecord, 'nextAttemptAt'> {
  return rest;
}

/** Says what could not be stored and what to do; a full disk is the usual cause and has a fix. */
function storageProblem(what: string, error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'ConstraintError') return `${what}: it is already in the outbox.`;
  return `${describeWriteFailure(error, what)}${name === 'QuotaExceededError' ? ' Nothing was lost.' : ''}`;
}

/**
 * Data donation as the UI sees it (DonationStoreApi): settings, the outbox, the candidates and
 * the preview. It opens its own database connection. Nothing goes over the network until the
 * user has opted in and confirmed a bundle: a store that finds no queued bundle at start never
 * builds its sender.
 */
export class DonationStore implements DonationStoreApi {
  // Fields are replaced, never mutated in place: what is shown is always a plain copy of what is stored.
  /** Until init() has read the stored settings: off, with no pseudonym yet. */
  settings = $state.raw<DonationSettings>(defaultDonationSettings(''));
  bundles = $state.raw<DonationRecord[]>([]);
  candidates = $state.raw<DonationCandidate[]>([]);
  preview = $state.raw<DonationPreview | null>(null);
  suggestedEndpoint = $state<string | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  readonly consentText = CONSENT_TEXT;
  readonly consentTextVersion = CONSENT_TEXT_VERSION;

  private db: ChatDb | null = null;
  private outbox: Outbox | null = null;
  private session: PreviewSession | null = null;
  private work: BundleWork | null = null;
  /** Builds started and not yet settled: one still running when another starts is given up. */
  private buildsInFlight = 0;
  private initializing: Promise<void> | null = null;
  /** Bumped by every preview request, so a slow build cannot replace a newer one. */
  private previewGeneration = 0;
  private readonly now: () => number;
  private readonly exclusive = exclusiveAcrossTabs(OUTBOX_LOCK);
  private tabs: TabSync | null = null;

  constructor(private readonly options: DonationStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Reads settings and the outbox; resumes sending only when there is something queued. Safe to call twice. */
  init(): Promise<void> {
    this.initializing ??= this.load();
    return this.initializing;
  }

  private async load(): Promise<void> {
    try {
      const db = this.options.dbName ? await openChatDb(this.options.dbName) : await appDb();
      this.db = db;
      if (!this.options.dbName) this.followOtherTabs(appTabSync());
      this.settings = await loadDonationSettings(db);
      this.suggestedEndpoint = await this.readSuggestion(db);
      // Under the outbox lock: a bundle another tab is sending right now is 'sending' too, and
      // must not go back to the queue (and out a second time) until that send has settled.
      await this.exclusive(() => requeueInterruptedSends(db));
      this.bundles = await listDonations(db);
    } catch (error) {
      this.error = storageProblem('Donation settings could not be read', error);
      return;
    }
    // Candidates are read when the donation view asks (refreshCandidates), not on the chat's first load.
    if (this.settings.enabled && this.bundles.some((b) => b.status === 'queued')) void this.startOutbox().start();
  }

  /**
   * Reads settings, the suggestion and the outbox again, after a backup was imported. Starts
   * nothing: an import never brings a bundle to send (donation-backup.ts), and whatever this
   * device queued itself is already being sent.
   */
  async reload(): Promise<void> {
    await this.init();
    const db = this.db;
    if (!db) return;
    try {
      this.settings = await loadDonationSettings(db);
      this.suggestedEndpoint = await this.readSuggestion(db);
      this.bundles = await listDonations(db);
    } catch (error) {
      this.error = storageProblem('Donation settings could not be read', error);
    }
  }

  /** The address an imported backup suggested; dropped once it is the address in use anyway. */
  private async readSuggestion(db: ChatDb): Promise<string | null> {
    const suggested = await loadEndpointSuggestion(db);
    if (suggested === null || suggested !== this.settings.endpoint) return suggested;
    await clearEndpointSuggestion(db);
    return null;
  }

  /** Makes the suggested address the one bundles go to; donation itself stays as it is (on or off). */
  async acceptSuggestedEndpoint(): Promise<void> {
    const suggested = this.suggestedEndpoint;
    if (suggested === null) return;
    const problem = await this.setEndpoint(suggested);
    if (problem !== null) this.error = problem;
  }

  async dismissSuggestedEndpoint(): Promise<void> {
    if (!this.db || this.suggestedEndpoint === null) return;
    try {
      await clearEndpointSuggestion(this.db);
      this.suggestedEndpoint = null;
    } catch (error) {
      this.error = storageProblem('The suggestion could not be dismissed', error);
    }
  }

  async optIn(): Promise<void> {
    const saved = await this.saveSettings({ ...this.settings, enabled: true, consentGivenAt: new Date(this.now()).toISOString() });
    if (saved) await this.refreshCandidates();
  }

  async optOut(): Promise<void> {
    // Settings first: from here on the outbox starts no new request.
    if (!(await this.saveSettings({ ...this.settings, enabled: false, consentGivenAt: null }))) return;
    this.cancelPreview();
    const unsent = this.bundles.filter((b) => UNSENT.has(b.status) || b.status === 'sending');
    for (const record of unsent) await this.cancelUnsent(record.bundleId);
    this.outbox?.stop();
    this.outbox = null;
  }

  async setEndpoint(url: string): Promise<string | null> {
    const check = checkEndpoint(url);
    if (!check.ok) return check.message;
    if (!(await this.saveSettings({ ...this.settings, endpoint: check.endpoint }))) return this.error;
    // The user chose an address: a pending suggestion from a backup has had its answer.
    if (this.suggestedEndpoint !== null) await this.dismissSuggestedEndpoint();
    return null;
  }

  async setDeclaredTerms(terms: string[]): Promise<void> {
    if (await this.saveSettings({ ...this.settings, declaredTerms: normalizeDeclaredTerms(terms) })) await this.rebuildPreview();
  }

  async resetDonor(): Promise<void> {
    if (await this.saveSettings({ ...this.settings, donor: newDonorPseudonym() })) await this.rebuildPreview();
  }

  async refreshCandidates(): Promise<void> {
    if (!this.db) return;
    try {
      this.candidates = await listDonationCandidates(this.db);
    } catch (error) {
      this.error = storageProblem('Your conversations could not be read', error);
    }
  }

  ratedCandidateIds(): string[] {
    return this.candidates.filter((c) => c.ratedCount > 0).map((c) => c.conversationId);
  }

  async createPreview(conversationIds: string[], options: { includeFeedback: boolean }): Promise<void> {
    const db = this.db;
    if (!db) return this.fail('Donation is not available: local storage could not be opened in this window.');
    const consentGivenAt = this.settings.consentGivenAt;
    if (!this.settings.enabled || consentGivenAt === null) return this.fail('Turn donation on (and agree to what it means) before preparing a bundle.');
    if (conversationIds.length === 0) return this.fail('Choose at least one conversation to donate.');

    const generation = ++this.previewGeneration;
    this.busy = true;
    try {
      const session: PreviewSession = {
        // A plain copy: it is posted to the worker, which cannot take a reactive proxy.
        conversationIds: [...conversationIds],
        includeFeedback: options.includeFeedback,
        exclusions: { conversations: new Set(), messages: new Set() },
        bundleId: crypto.randomUUID(),
        createdAt: new Date(this.now()).toISOString(),
        origins: new Map(),
        replaced: [],
        kept: new Set(),
      };
      const result = await this.build(this.buildRequest(session, consentGivenAt));
      if (generation !== this.previewGeneration) return;
      this.show(session, result, 'Nothing is left to donate: the chosen conversations have no messages.');
    } catch (error) {
      if (generation !== this.previewGeneration) return;
      this.dropPreview();
      this.error = `The preview could not be prepared (${error instanceof Error ? error.message : String(error)}). Nothing was sent.`;
    } finally {
      if (generation === this.previewGeneration) this.busy = false;
    }
  }

  async removeFromPreview(item: PreviewItem): Promise<void> {
    const session = this.session;
    const origin = session?.origins.get(originKey(item.conversation, item.message));
    if (!session || !origin) return;
    if (origin.messageId === undefined) session.exclusions.conversations.add(origin.conversationId);
    else session.exclusions.messages.add(origin.messageId);
    await this.rebuildPreview('You removed everything from this bundle; there is nothing left to donate.');
  }

  /** Redacts `text` everywhere in the previewed bundle, as a declared term, and rebuilds the preview. */
  async replaceRisk(text: string): Promise<void> {
    const session = this.session;
    if (!session || this.busy || session.replaced.includes(text)) return;
    session.replaced.push(text);
    await this.rebuildPreview();
  }

  /** Leaves `text` in the bundle and stops listing it. */
  keepRisk(text: string): void {
    const { session, preview } = this;
    if (!session || !preview) return;
    session.kept.add(text);
    this.preview = withRisks(preview, preview.risks.filter((risk) => risk.text !== text));
  }

  cancelPreview(): void {
    this.previewGeneration += 1;
    this.busy = false;
    this.giveUpBuilds();
    this.dropPreview();
  }

  async confirm(options: { despiteRisks?: boolean } = {}): Promise<void> {
    const { db, preview, session } = this;
    if (this.busy) return;
    if (!db || !preview || !session) return this.fail('There is no bundle to confirm: prepare a preview first.');
    if (!this.settings.enabled) return this.fail('Donation is turned off: turn it on to send this bundle.');
    // The user decides, but knowingly: what may still identify someone is never sent unseen.
    if (preview.risks.length > 0 && options.despiteRisks !== true) {
      return this.fail(`Check the ${preview.risks.length === 1 ? 'item' : `${preview.risks.length} items`} listed in the preview before sending: replace or keep each, or choose to send anyway.`);
    }

    this.busy = true;
    try {
      // The text shown is the text checked, stored and sent.
      const check = await this.bundleWork().check(preview.json);
      if (!check.ok) {
        this.error = `This bundle does not match the donation schema — a bug in the app, please report it. Nothing was sent. Problems: ${check.problems.join('; ')}`;
        return;
      }
      const record: DonationRecord = {
        bundleId: check.bundleId,
        createdAt: this.now(),
        status: 'queued',
        body: preview.json,
        endpoint: this.settings.endpoint,
        conversationCount: check.conversationCount,
        messageCount: check.messageCount,
        withdrawalToken: newWithdrawalToken(),
        attempts: 0,
      };
      await addDonation(db, record);
      // Stored: the preview closes in the same step, so it cannot be confirmed twice.
      this.dropPreview();
      this.error = null;
      this.remember(record);
      void this.startOutbox().start();
    } catch (error) {
      this.error = storageProblem('The bundle could not be added to the outbox', error);
    } finally {
      this.busy = false;
    }
  }

  async withdraw(bundleId: string): Promise<void> {
    const db = this.db;
    if (!db) return;
    try {
      const stored = await getDonation(db, bundleId);
      // Not sent yet: cancelling is enough. Being sent: cancelUnsent waits, and it may come back 'sent'.
      const record = stored?.status === 'sent' ? stored : await this.cancelUnsent(bundleId);
      if (record?.status === 'sending') {
        // Only another tab can be sending it (this one waited for its own request).
        this.error = 'This bundle is being sent from another tab right now; withdraw it again in a moment.';
        return;
      }
      if (record?.status !== 'sent') return;
      const outcome = withdrawOutcome(await deleteBundle(this.fetch(), record));
      if (!outcome.withdrawn) {
        this.error = outcome.message;
        return;
      }
      const done = await updateDonation(db, bundleId, (r) => (r.status === 'sent' ? { ...withoutRetry(r), status: 'withdrawn', withdrawnAt: this.now() } : null));
      if (done.record) this.remember(done.record);
      this.error = null;
    } catch (error) {
      this.error = storageProblem('The withdrawal could not be recorded', error);
    }
  }

  async retry(bundleId: string): Promise<void> {
    const db = this.db;
    if (!db) return;
    if (!this.settings.enabled) return this.fail('Donation is turned off: turn it on to send this bundle.');
    try {
      const { record, changed } = await updateDonation(db, bundleId, (r) =>
        UNSENT.has(r.status) ? { ...withoutSchedule(r), status: 'queued' } : null,
      );
      if (!changed || !record) return;
      this.remember(record);
      void this.startOutbox().wake();
    } catch (error) {
      this.error = storageProblem('The bundle could not be queued again', error);
    }
  }

  /** Resolves when the outbox has nothing in flight (tests wait on it; the UI need not). */
  async whenIdle(): Promise<void> {
    await this.outbox?.idle();
  }

  /** Stops sending and closes the connection (a test's "reload"; the app never needs it). */
  close(): void {
    this.work?.dispose();
    this.work = null;
    this.outbox?.stop();
    this.outbox = null;
    this.db?.close();
    this.db = null;
    this.initializing = null;
  }

  private fetch(): typeof fetch {
    return this.options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /**
   * Another tab queued, sent or withdrew a bundle, or changed the settings, or a backup was
   * restored (here or there): show it here too.
   */
  private followOtherTabs(tabs: TabSync): void {
    this.tabs = tabs;
    tabs.listen((change) => {
      if (change.kind === 'donations' || change.kind === 'restored') void this.reload();
    });
  }

  private startOutbox(): Outbox {
    this.outbox ??= new Outbox({
      db: this.db!,
      fetch: () => this.fetch(),
      now: this.now,
      random: this.options.random ?? Math.random,
      isOnline: this.options.isOnline ?? (() => globalThis.navigator?.onLine !== false),
      maySend: () => this.settings.enabled,
      schedule: this.options.schedule ?? timeoutScheduler,
      onlineEvents: this.options.onlineEvents !== undefined ? this.options.onlineEvents : (globalThis.window ?? null),
      onChange: (record) => this.remember(record),
      onError: (error) => {
        this.error = storageProblem('The donation outbox could not be updated', error);
      },
      exclusive: this.exclusive,
    });
    return this.outbox;
  }

  /**
   * Cancels a bundle that was not sent: it is marked withdrawn and will never be sent. One being
   * sent right now is waited for first; if the collector took it, it stays 'sent'.
   */
  private async cancelUnsent(bundleId: string): Promise<DonationRecord | undefined> {
    const db = this.db!;
    for (;;) {
      const before = await getDonation(db, bundleId);
      const result = await updateDonation(db, bundleId, (r) =>
        UNSENT.has(r.status) ? { ...withoutRetry(r), status: 'withdrawn', withdrawnAt: this.now() } : null,
      );
      if (result.changed && result.record) {
        this.remember(result.record);
        // An earlier try may have reached the collector without an answer: ask it to drop that copy.
        // Best effort only — the collector answers 404 for a bundle it never stored.
        if (before?.status === 'queued' && before.attempts > 0) await deleteBundle(this.fetch(), result.record);
        return result.record;
      }
      if (result.record?.status === 'sending' && this.outbox?.isInFlight(bundleId)) {
        await this.outbox.settled(bundleId);
        continue;
      }
      return result.record;
    }
  }

  private bundleWork(): BundleWork {
    this.work ??= (this.options.work ?? defaultBundleWork)({
      dbName: this.options.dbName ?? DB_NAME,
      readSources: (conversationIds) => readDonationSources(this.db!, conversationIds),
    });
    return this.work;
  }

  /** Builds a bundle, giving up any build still running: only the newest preview is shown. */
  private async build(request: PreviewBuild): Promise<BuildResult> {
    this.giveUpBuilds();
    this.buildsInFlight += 1;
    try {
      return await this.bundleWork().build(request);
    } finally {
      this.buildsInFlight -= 1;
    }
  }

  private giveUpBuilds(): void {
    if (this.buildsInFlight > 0) this.work?.cancel();
  }

  private buildRequest(session: PreviewSession, consentGivenAt: string): PreviewBuild {
    return {
      conversationIds: session.conversationIds,
      includeFeedback: session.includeFeedback,
      exclusions: session.exclusions,
      bundleId: session.bundleId,
      createdAt: session.createdAt,
      appVersion: APP_VERSION,
      donor: this.settings.donor,
      consentGivenAt,
      declaredTerms: [...this.settings.declaredTerms, ...session.replaced],
    };
  }

  /** Rebuilds the open preview (after a removal or a settings change) with a fresh de-identifier. */
  private async rebuildPreview(whenEmpty = 'Nothing is left to donate.'): Promise<void> {
    const session = this.session;
    const consentGivenAt = this.settings.consentGivenAt;
    if (!session || consentGivenAt === null) return;
    const generation = ++this.previewGeneration;
    this.busy = true;
    try {
      const result = await this.build(this.buildRequest(session, consentGivenAt));
      if (generation !== this.previewGeneration) return;
      this.show(session, result, whenEmpty);
    } catch (error) {
      if (generation !== this.previewGeneration) return;
      this.dropPreview();
      this.error = `The preview could not be rebuilt (${error instanceof Error ? error.message : String(error)}). Nothing was sent.`;
    } finally {
      if (generation === this.previewGeneration) this.busy = false;
    }
  }

  private show(session: PreviewSession, result: BuildResult, whenEmpty: string): void {
    if (!result.ok) {
      this.dropPreview();
      this.error = result.reason === 'empty' ? [...result.leftOut, whenEmpty].join(' ') : result.message;
      return;
    }
    session.origins = result.origins;
    this.session = session;
    const { preview } = result;
    this.preview = session.kept.size === 0 ? preview : withRisks(preview, preview.risks.filter((risk) => !session.kept.has(risk.text)));
    this.error = result.leftOut.length > 0 ? result.leftOut.join(' ') : null;
  }

  private dropPreview(): void {
    this.session = null;
    this.preview = null;
  }

  private fail(message: string): void {
    this.error = message;
  }

  /** Shows a record as stored now, newest first. */
  private remember(record: DonationRecord): void {
    const others = this.bundles.filter((b) => b.bundleId !== record.bundleId);
    this.bundles = [record, ...others].sort((a, b) => b.createdAt - a.createdAt);
    this.tabs?.announce({ kind: 'donations' });
  }

  /** Stores new settings, then shows them; false (with the reason in `error`) when they could not be stored. */
  private async saveSettings(next: DonationSettings): Promise<boolean> {
    if (!this.db) {
      this.error = 'Donation settings cannot be saved: local storage is not available in this window.';
      return false;
    }
    try {
      await saveDonationSettings(this.db, next);
      this.settings = next;
      this.error = null;
      this.tabs?.announce({ kind: 'donations' });
      return true;
    } catch (error) {
      this.error = storageProblem('Your donation settings were not saved', error);
      return false;
    }
  }
}
