import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  collectJsonl,
  downloadFeedbackExport,
  exportFileName,
  exportLines,
  JSONL_MIME_TYPE,
  REVOKE_AFTER_MS,
  saveBlob,
} from '../../src/feedback/export-download';
import { rate } from '../../src/feedback/feedback-repository';
import { createConversation, saveMessage } from '../../src/storage/conversations';
import { openChatDb, type ChatDb } from '../../src/storage/db';
import type { StoredMessage } from '../../src/storage/schema';

let dbCount = 0;

async function* linesOf(lines: readonly string[]): AsyncGenerator<string> {
  for (const line of lines) yield line;
}

/** Two conversations, each with one rated reply. */
async function ratedDb(): Promise<ChatDb> {
  const db = await openChatDb(`export-download-${++dbCount}`);
  for (const [n, rating] of [[1, 'up'], [2, 'down']] as const) {
    const conversation = await createConversation(db, `Chat ${n}`);
    const question: StoredMessage = { id: `q${n}`, conversationId: conversation.id, parentId: null, role: 'user', content: `Question ${n}`, createdAt: n * 10, updatedAt: n * 10, status: 'complete' };
    const reply: StoredMessage = { ...question, id: `r${n}`, parentId: question.id, role: 'assistant', content: `Reply ${n}`, createdAt: n * 10 + 1 };
    await saveMessage(db, question, { asCurrentLeaf: true });
    await saveMessage(db, reply, { asCurrentLeaf: true });
    await rate(db, reply, rating);
  }
  return db;
}

/** A document just big enough for `saveBlob`: records the links it clicks. */
function fakeDocument() {
  const clicked: Array<{ href: string; download: string; attached: boolean }> = [];
  const body = {
    children: new Set<object>(),
    append(node: object) { this.children.add(node); },
  };
  const doc = {
    body,
    createElement() {
      const link = {
        href: '',
        download: '',
        hidden: false,
        click() { clicked.push({ href: link.href, download: link.download, attached: body.children.has(link) }); },
        remove() { body.children.delete(link); },
      };
      return link;
    },
  };
  return { doc: doc as unknown as Document, clicked, body };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('export file name', () => {
  it('names the format and the local date', () => {
    expect(exportFileName('kto', new Date(2026, 10, 26, 23, 59))).toBe('feedback-kto-2026-11-26.jsonl');
    expect(exportFileName('dpo', new Date(2026, 0, 5))).toBe('feedback-dpo-2026-01-05.jsonl');
    expect(exportFileName('bb3x', new Date(2027, 11, 31))).toBe('feedback-bb3x-2027-12-31.jsonl');
  });
});

describe('collectJsonl', () => {
  it('keeps every line in order, counts them, and types the file as NDJSON', async () => {
    const lines = ['{"a":1}\n', '{"text":"é ✓ 😀"}\n', '{"b":[1,2,3]}\n'];
    const file = await collectJsonl(linesOf(lines), 10);
    expect(file.lines).toBe(3);
    expect(file.blob.type).toBe(JSONL_MIME_TYPE);
    expect(await file.blob.text()).toBe(lines.join(''));
    expect(file.blob.size).toBe(new TextEncoder().encode(lines.join('')).length);
  });

  it('hands the text to Blobs a batch at a time instead of building one string', async () => {
    const made: number[] = [];
    const RealBlob = globalThis.Blob;
    vi.stubGlobal('Blob', class extends RealBlob {
      constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
        super(parts, options);
        made.push(parts?.length ?? 0);
      }
    });
    const lines = Array.from({ length: 10 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(20)}"}\n`);
    const file = await collectJsonl(linesOf(lines), 80);
    // Every line is ~35 characters: batches of 3 lines (≥ 80), then the rest, then the file.
    expect(made).toEqual([3, 3, 3, 1, 4]);
    expect(await file.blob.text()).toBe(lines.join(''));
  });

  it('makes an empty file from no lines', async () => {
    const file = await collectJsonl(linesOf([]));
    expect(file.lines).toBe(0);
    expect(file.blob.size).toBe(0);
    expect(file.blob.type).toBe(JSONL_MIME_TYPE);
  });
});

describe('exportLines', () => {
  it('gives each BB3x export a fresh pseudonymous user id', async () => {
    const db = await ratedDb();
    const userIds = async () => {
      const file = await collectJsonl(exportLines(db, 'bb3x'));
      const records = (await file.blob.text()).trim().split('\n').map((l) => JSON.parse(l) as { user_id: string });
      expect(records).toHaveLength(2);
      expect(new Set(records.map((r) => r.user_id)).size).toBe(1);
      return records[0]!.user_id;
    };
    const first = await userIds();
    const second = await userIds();
    expect(first).not.toBe(second);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('picks the exporter of each format', async () => {
    const db = await ratedDb();
    const kto = await collectJsonl(exportLines(db, 'kto'));
    expect(kto.lines).toBe(2);
    for (const line of (await kto.blob.text()).trim().split('\n')) {
      expect(Object.keys(JSON.parse(line) as object).sort()).toEqual(['completion', 'label', 'prompt']);
    }
    // No better reply and no differently rated versions of one turn: no pairs.
    expect((await collectJsonl(exportLines(db, 'dpo'))).lines).toBe(0);
  });
});

describe('saveBlob', () => {
  it('clicks an attached download link to an object URL and revokes the URL later', () => {
    vi.useFakeTimers();
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    const { doc, clicked, body } = fakeDocument();
    saveBlob(new Blob(['{}\n'], { type: JSONL_MIME_TYPE }), 'feedback-kto-2026-11-26.jsonl', doc);
    expect(clicked).toHaveLength(1);
    expect(clicked[0]!.download).toBe('feedback-kto-2026-11-26.jsonl');
    expect(clicked[0]!.href).toMatch(/^blob:/);
    expect(clicked[0]!.attached).toBe(true);
    expect(body.children.size).toBe(0);
    expect(revoke).not.toHaveBeenCalled();
    vi.advanceTimersByTime(REVOKE_AFTER_MS);
    expect(revoke).toHaveBeenCalledWith(clicked[0]!.href);
    revoke.mockRestore();
  });
});

describe('downloadFeedbackExport', () => {
  it('reports a failed export and leaves the app’s one connection open for the chat', async () => {
    const db = await ratedDb();
    const close = vi.spyOn(db, 'close');
    // The database fails on the first read.
    vi.spyOn(db, 'transaction').mockImplementation(() => { throw new Error('disk gone'); });
    await expect(downloadFeedbackExport('kto', { open: () => Promise.resolve(db) })).rejects.toThrow('disk gone');
    expect(close).not.toHaveBeenCalled();
  });
});
