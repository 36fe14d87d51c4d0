import { describe, expect, it } from 'vitest';
import {
  childrenByParent,
  deleteBranch,
  latestLeafUnder,
  leafAfterFlip,
  siblingsOf,
  subtreeIds,
  threadTo,
  versionOf,
  visibleThread,
  type TreeMessage,
} from '../../src/chat/branches';

/** A conversation grown the way the app grows one: each message written after its parent. */
class Conversation {
  readonly messages: TreeMessage[] = [];
  private clock = 0;

  add(id: string, parentId: string | null): string {
    this.messages.push({ id, parentId, createdAt: ++this.clock });
    return id;
  }
}

const ids = (messages: readonly TreeMessage[]) => messages.map((m) => m.id);
const byId = (c: Conversation, id: string) => c.messages.find((m) => m.id === id)!;

/** q1 → a1 → q2 → a2, the plain thread every test starts from. */
function linear(): Conversation {
  const c = new Conversation();
  c.add('q1', null);
  c.add('a1', 'q1');
  c.add('q2', 'a1');
  c.add('a2', 'q2');
  return c;
}

describe('branch model', () => {
  it('a linear conversation is one thread with one version of each turn', () => {
    const c = linear();
    expect(ids(threadTo(c.messages, 'a2'))).toEqual(['q1', 'a1', 'q2', 'a2']);
    for (const m of c.messages) expect(versionOf(c.messages, m)).toEqual({ index: 0, count: 1, previousId: null, nextId: null });
  });

  it('regenerating a reply adds a sibling under the same question and shows it, keeping the earlier one', () => {
    const c = linear();
    c.add('a2-again', 'q2');
    expect(ids(siblingsOf(c.messages, byId(c, 'a2')))).toEqual(['a2', 'a2-again']);
    expect(ids(threadTo(c.messages, 'a2-again'))).toEqual(['q1', 'a1', 'q2', 'a2-again']);
    expect(versionOf(c.messages, byId(c, 'a2-again'))).toEqual({ index: 1, count: 2, previousId: 'a2', nextId: null });
    // Flipping back shows the earlier reply.
    expect(leafAfterFlip(c.messages, 'a2-again', -1)).toBe('a2');
    expect(leafAfterFlip(c.messages, 'a2', 1)).toBe('a2-again');
  });

  it('editing an earlier question branches: the new version starts a new thread, the old branch stays whole', () => {
    const c = linear();
    c.add('q1-edited', null);
    c.add('a1-edited', 'q1-edited');
    expect(ids(threadTo(c.messages, 'a1-edited'))).toEqual(['q1-edited', 'a1-edited']);
    expect(versionOf(c.messages, byId(c, 'q1-edited'))).toMatchObject({ index: 1, count: 2 });
    // The first version of the question still leads to everything that followed it.
    const back = leafAfterFlip(c.messages, 'q1-edited', -1);
    expect(back).toBe('a2');
    expect(ids(threadTo(c.messages, back))).toEqual(['q1', 'a1', 'q2', 'a2']);
  });

  it('flipping to a version shows the most recently written path below it', () => {
    const c = linear();
    c.add('a1-b', 'q1');
    c.add('q2-b', 'a1-b');
    c.add('a2-b', 'q2-b');
    // Back on the first reply, the user continued there after creating the second one.
    c.add('q3', 'a2');
    c.add('a3', 'q3');
    expect(latestLeafUnder(c.messages, 'a1')).toBe('a3');
    expect(latestLeafUnder(c.messages, 'a1-b')).toBe('a2-b');
    expect(leafAfterFlip(c.messages, 'a1-b', -1)).toBe('a3');
    expect(leafAfterFlip(c.messages, 'a1', 1)).toBe('a2-b');
    // No version before the first or after the last.
    expect(leafAfterFlip(c.messages, 'a1', -1)).toBeNull();
    expect(leafAfterFlip(c.messages, 'a1-b', 1)).toBeNull();
  });

  it('orders versions by when they were written, whatever the storage order', () => {
    const c = linear();
    c.add('a2-b', 'q2');
    c.add('a2-c', 'q2');
    const shuffled = [...c.messages].reverse();
    expect(ids(childrenByParent(shuffled).get('q2')!)).toEqual(['a2', 'a2-b', 'a2-c']);
    expect(versionOf(shuffled, byId(c, 'a2-b'))).toEqual({ index: 1, count: 3, previousId: 'a2', nextId: 'a2-c' });
    expect(ids(threadTo(shuffled, 'a2-c'))).toEqual(['q1', 'a1', 'q2', 'a2-c']);
  });

  it('shows the current leaf, or the newest message when the leaf is missing', () => {
    const c = linear();
    c.add('a1-b', 'q1');
    expect(ids(visibleThread(c.messages, 'a2'))).toEqual(['q1', 'a1', 'q2', 'a2']);
    expect(ids(visibleThread(c.messages, 'gone'))).toEqual(['q1', 'a1-b']);
    expect(ids(visibleThread(c.messages, null))).toEqual(['q1', 'a1-b']);
    expect(visibleThread([], null)).toEqual([]);
  });

  it('survives parent links that loop (a damaged store) without hanging', () => {
    const looped: TreeMessage[] = [
      { id: 'x', parentId: 'y', createdAt: 1 },
      { id: 'y', parentId: 'x', createdAt: 2 },
    ];
    expect(ids(threadTo(looped, 'y'))).toEqual(['x', 'y']);
    // Deleting or flipping a version walks down the tree: it must end too.
    expect(subtreeIds(looped, 'x').sort()).toEqual(['x', 'y']);
    expect(latestLeafUnder(looped, 'x')).toBe('y');
    expect(deleteBranch(looped, 'x', 'y').removedIds.sort()).toEqual(['x', 'y']);
  });

  it('deleting a version removes it with everything after it and shows a neighbouring version', () => {
    const c = linear();
    c.add('a1-b', 'q1');
    c.add('q2-b', 'a1-b');
    expect(subtreeIds(c.messages, 'a1').sort()).toEqual(['a1', 'a2', 'q2']);

    // Deleting the version shown moves to the older neighbour's latest path.
    expect(deleteBranch(c.messages, 'a1-b', 'q2-b')).toEqual({ removedIds: ['a1-b', 'q2-b'], nextLeafId: 'a2' });
    // Deleting the first version moves to the next one.
    expect(deleteBranch(c.messages, 'a1', 'a2')).toMatchObject({ nextLeafId: 'q2-b' });
    // Deleting a version not shown leaves the thread alone.
    expect(deleteBranch(c.messages, 'a1', 'q2-b')).toEqual({ removedIds: expect.arrayContaining(['a1', 'q2', 'a2']), nextLeafId: 'q2-b' });
    // The only version of a turn: the thread ends at its parent.
    expect(deleteBranch(c.messages, 'a2', 'a2')).toEqual({ removedIds: ['a2'], nextLeafId: 'q2' });
  });
});
