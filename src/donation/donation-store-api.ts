/**
 * What the donation UI (src/ui/donation/) may read and call on the donation store
 * (`DonationStore` in donation-store.svelte.ts implements it). Everything here is reactive state
 * ($state) or an action; the UI never touches IndexedDB or the network itself.
 */
import type { DeidentificationReport, DonationBundle, EntityType } from './bundle-types';
import type { RemainingRisk } from './remaining-risks';

export type BundleStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'withdrawn';

/** One confirmed bundle in the outbox (IndexedDB `donations` store, keyed by bundleId). */
export interface DonationRecord {
  bundleId: string;
  /** ms since epoch, when the user confirmed it. */
  createdAt: number;
  status: BundleStatus;
  /** Exactly the JSON text that is (or was) sent: the preview showed this string. */
  body: string;
  /** The collector it goes to (the endpoint setting at confirm time). */
  endpoint: string;
  conversationCount: number;
  messageCount: number;
  /** Random secret that withdraws the bundle; only its hash ever reaches the collector. */
  withdrawalToken: string;
  attempts: number;
  /** ms since epoch of the next automatic try (queued bundles only). */
  nextAttemptAt?: number;
  /** Why the last try failed, in words a user can act on (also set while queued and retrying). */
  lastError?: string;
  /** The collector's receipt, once it stored the bundle. */
  receipt?: { receiptId: string; receivedAt: string };
  withdrawnAt?: number;
}

/** A conversation the user can choose to donate. */
export interface DonationCandidate {
  conversationId: string;
  title: string;
  updatedAt: number;
  /** Messages on the thread that would be sent (the branch the user last looked at). */
  messageCount: number;
  /** Replies on that thread that the user rated. */
  ratedCount: number;
}

/** A piece of the preview JSON text, for highlighting redactions without rendering HTML. */
export interface PreviewSegment {
  text: string;
  /** Set when this segment is a placeholder the de-identifier put in (`[EMAIL_1]`). */
  entity?: EntityType;
}

/** One item of the preview the user can remove: a whole conversation or a single message. */
export interface PreviewItem {
  /** Bundle-local conversation id (`c1`). */
  conversation: string;
  /** Bundle-local message id (`m3`), absent for the whole conversation. */
  message?: string;
  /** Short de-identified text to recognise it by. */
  label: string;
}

/** What the preview says about a bundle at a glance (read from it, so the UI never walks the bundle). */
export interface PreviewSummary {
  conversationCount: number;
  messageCount: number;
  includesFeedback: boolean;
  deidentification: DeidentificationReport;
}

export interface DonationPreview {
  /**
   * The bundle as objects. A preview from the de-identification worker parses it from `json`
   * on first read (posted-preview.ts): the UI reads `summary` instead and never pays for it.
   */
  bundle: DonationBundle;
  summary: PreviewSummary;
  /** The exact text that will be sent (JSON.stringify(bundle, null, 2)). */
  json: string;
  /** `json` cut into plain and placeholder segments, in order; joined they equal `json`. */
  segments: PreviewSegment[];
  /** Conversations, each followed by its messages, in bundle order. */
  items: PreviewItem[];
  /**
   * What may still identify someone (remaining-risks.ts), for the user to check: each string is
   * replaced everywhere in the bundle or kept. Those the user kept are no longer listed.
   */
  risks: RemainingRisk[];
}

export interface DonationSettings {
  /** Opt-in; false until the user turns it on. Nothing is ever sent while false. */
  enabled: boolean;
  /** Collector base URL, e.g. http://localhost:8787 (HTTPS required except on localhost). */
  endpoint: string;
  /** The user's own terms to always redact (own name, city, employer…), one per entry. */
  declaredTerms: string[];
  /** Random `donor-` + 16 hex digits; reset by the user at will. */
  donor: string;
  /** When the user opted in (ISO), for the consent record; null while opted out. */
  consentGivenAt: string | null;
}

export interface DonationStoreApi {
  readonly settings: DonationSettings;
  /** Newest first. */
  readonly bundles: DonationRecord[];
  readonly candidates: DonationCandidate[];
  readonly preview: DonationPreview | null;
  /**
   * A collector address an imported backup named, shown for the user to accept or dismiss; null
   * when there is none. Never used until accepted.
   */
  readonly suggestedEndpoint: string | null;
  /** A message to show when something failed (endpoint invalid, preview failed, storage full…). */
  error: string | null;
  /** True while a preview is being built or a bundle confirmed. */
  readonly busy: boolean;

  /** The consent text the user agrees to, and its version (goes into the consent record). */
  readonly consentText: string;
  readonly consentTextVersion: string;

  init(): Promise<void>;
  /** Reads everything again (after a backup import); never starts sending. */
  reload(): Promise<void>;
  optIn(): Promise<void>;
  /** Turns donation off and cancels bundles not yet sent; sent ones stay listed (withdrawable). */
  optOut(): Promise<void>;
  /** Returns an error message (and saves nothing) when the URL is not acceptable. */
  setEndpoint(url: string): Promise<string | null>;
  /** Makes the suggested address the one in use (donation stays on or off as it was). */
  acceptSuggestedEndpoint(): Promise<void>;
  dismissSuggestedEndpoint(): Promise<void>;
  setDeclaredTerms(terms: string[]): Promise<void>;
  resetDonor(): Promise<void>;
  /** Re-reads the conversations that can be chosen. */
  refreshCandidates(): Promise<void>;
  /** De-identifies the chosen conversations into a preview (replaces any open preview). */
  createPreview(conversationIds: string[], options: { includeFeedback: boolean }): Promise<void>;
  /** Conversations with at least one rated reply ("all rated ones"). */
  ratedCandidateIds(): string[];
  /** Drops an item from the preview; the JSON, segments and report are rebuilt without it. */
  removeFromPreview(item: PreviewItem): Promise<void>;
  cancelPreview(): void;
  /** Redacts this string everywhere in the previewed bundle (as a declared term, for this bundle only) and rebuilds it. */
  replaceRisk(text: string): Promise<void>;
  /** Leaves this string in the previewed bundle and takes it off the list to check. */
  keepRisk(text: string): void;
  /**
   * Queues the previewed bundle exactly as shown and starts sending it. While the preview lists
   * risks to check, it refuses (with a message) unless `despiteRisks` says the user chose to
   * send anyway.
   */
  confirm(options?: { despiteRisks?: boolean }): Promise<void>;
  /** Withdraws a sent bundle at the collector (DELETE with its token), or cancels a queued one. */
  withdraw(bundleId: string): Promise<void>;
  /** Tries a failed or waiting bundle again now. */
  retry(bundleId: string): Promise<void>;
}
