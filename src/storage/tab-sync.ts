/**
 * Tells the app's other tabs that something they show was changed here, so they read it again
 * (BroadcastChannel: same origin, same browser profile; a tab never hears its own messages,
 * except those it sends with `announceHereToo`).
 */
export type TabChange =
  /** Conversations or their messages: the list, a new reply, a rename, a deletion. */
  | { kind: 'conversations'; conversationId: string | null }
  /** A rating was given, changed or removed. */
  | { kind: 'feedback'; conversationId: string | null }
  /** The donation outbox or donation settings. */
  | { kind: 'donations' }
  /** A backup was restored: any stored record may have changed, so everything is read again. */
  | { kind: 'restored' };

const CHANNEL = 'feedback-chat-changes';

export class TabSync {
  private readonly channel: BroadcastChannel | null;
  private readonly listeners = new Set<(change: TabChange) => void>();

  constructor(create: (name: string) => BroadcastChannel | null = defaultChannel) {
    this.channel = create(CHANNEL);
    this.channel?.addEventListener('message', (event: MessageEvent<TabChange>) => this.deliver(event.data));
  }

  announce(change: TabChange): void {
    this.channel?.postMessage(change);
  }

  /**
   * Tells the other tabs and this one. For changes made beside the stores rather than through
   * them (a restored backup), which every store here must read again just as another tab's.
   */
  announceHereToo(change: TabChange): void {
    this.announce(change);
    this.deliver(change);
  }

  listen(listener: (change: TabChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private deliver(change: TabChange): void {
    for (const listener of this.listeners) listener(change);
  }

  close(): void {
    this.listeners.clear();
    this.channel?.close();
  }
}

function defaultChannel(name: string): BroadcastChannel | null {
  return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);
}

let shared: TabSync | null = null;

/** The app's one channel, made on first use (so tests that never ask open none). */
export function appTabSync(): TabSync {
  shared ??= new TabSync();
  return shared;
}
