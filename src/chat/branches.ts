/**
 * A conversation is a tree of messages: each message points at the one it follows (`parentId`),
 * and messages with the same parent are versions of one turn — a regenerated reply, an edited
 * question. The user sees one thread: the path from the first message to the conversation's
 * current leaf. Pure functions over plain lists, so the app and the tests share them.
 */

export interface TreeMessage {
  id: string;
  parentId: string | null;
  createdAt: number;
}

export interface VersionInfo {
  /** 0-based position among its siblings, oldest first. */
  index: number;
  count: number;
  previousId: string | null;
  nextId: string | null;
}

const byAge = (a: TreeMessage, b: TreeMessage) => a.createdAt - b.createdAt;

/** The children of each message, oldest first; the key `null` holds the first messages. */
export function childrenByParent<T extends TreeMessage>(messages: readonly T[]): Map<string | null, T[]> {
  const children = new Map<string | null, T[]>();
  for (const message of messages) {
    const list = children.get(message.parentId);
    if (list) list.push(message);
    else children.set(message.parentId, [message]);
  }
  for (const list of children.values()) list.sort(byAge);
  return children;
}

/** The versions of `message`'s turn, itself included, oldest first. */
export function siblingsOf<T extends TreeMessage>(messages: readonly T[], message: TreeMessage): T[] {
  return messages.filter((m) => m.parentId === message.parentId).sort(byAge);
}

export function versionOf(messages: readonly TreeMessage[], message: TreeMessage): VersionInfo {
  return versionAmong(siblingsOf(messages, message), message.id);
}

/** Where `id` stands among `siblings` (oldest first, as `childrenByParent` lists them). */
export function versionAmong(siblings: readonly TreeMessage[], id: string): VersionInfo {
  const index = siblings.findIndex((m) => m.id === id);
  return {
    index,
    count: siblings.length,
    previousId: siblings[index - 1]?.id ?? null,
    nextId: siblings[index + 1]?.id ?? null,
  };
}

/** The path from the first message to `leafId`, in reading order; empty when it is unknown. */
export function threadTo<T extends TreeMessage>(messages: readonly T[], leafId: string | null): T[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const thread: T[] = [];
  const seen = new Set<string>();
  // `seen` guards against a damaged store whose parent links loop.
  for (let m = leafId === null ? undefined : byId.get(leafId); m && !seen.has(m.id); m = m.parentId === null ? undefined : byId.get(m.parentId)) {
    seen.add(m.id);
    thread.push(m);
  }
  return thread.reverse();
}

/** `id` and everything that follows it on any branch. */
export function subtreeIds(messages: readonly TreeMessage[], id: string): string[] {
  const children = childrenByParent(messages);
  const ids: string[] = [];
  const pending = [id];
  // `seen` guards against parent links that loop (a damaged store or a hand-made backup).
  const seen = new Set<string>();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    ids.push(next);
    for (const child of children.get(next) ?? []) pending.push(child.id);
  }
  return ids;
}

/**
 * The end of the most recently written path through `id`. The newest message of a subtree has
 * no children (a child is always written after its parent), so it is the leaf the user was last
 * working on there.
 */
export function latestLeafUnder(messages: readonly TreeMessage[], id: string): string {
  const inSubtree = new Set(subtreeIds(messages, id));
  let latest: TreeMessage | undefined;
  for (const m of messages) if (inSubtree.has(m.id) && (!latest || m.createdAt >= latest.createdAt)) latest = m;
  return latest?.id ?? id;
}

/**
 * The thread a conversation shows: up to its current leaf, or — when that is missing (a
 * conversation from before branches were stored, a damaged record) — up to its newest message.
 */
export function visibleThread<T extends TreeMessage>(messages: readonly T[], currentLeafId: string | null): T[] {
  const thread = threadTo(messages, currentLeafId);
  if (thread.length > 0 || messages.length === 0) return thread;
  const newest = messages.reduce((a, b) => (b.createdAt >= a.createdAt ? b : a));
  return threadTo(messages, newest.id);
}

/** The leaf to show after flipping `messageId` to its previous (-1) or next (+1) version. */
export function leafAfterFlip(messages: readonly TreeMessage[], messageId: string, step: -1 | 1): string | null {
  const message = messages.find((m) => m.id === messageId);
  if (!message) return null;
  const version = versionOf(messages, message);
  const target = step < 0 ? version.previousId : version.nextId;
  return target === null ? null : latestLeafUnder(messages, target);
}

/**
 * Deleting one version of a turn removes it and everything after it. When the thread shown ran
 * through it, the thread moves to a neighbouring version (the older one first), or ends at the
 * deleted message's parent when it had no other version.
 */
export function deleteBranch(
  messages: readonly TreeMessage[],
  messageId: string,
  currentLeafId: string | null,
): { removedIds: string[]; nextLeafId: string | null } {
  const message = messages.find((m) => m.id === messageId);
  if (!message) return { removedIds: [], nextLeafId: currentLeafId };
  const removedIds = subtreeIds(messages, messageId);
  if (currentLeafId !== null && !removedIds.includes(currentLeafId)) return { removedIds, nextLeafId: currentLeafId };
  const version = versionOf(messages, message);
  const neighbour = version.previousId ?? version.nextId;
  return { removedIds, nextLeafId: neighbour !== null ? latestLeafUnder(messages, neighbour) : message.parentId };
}
