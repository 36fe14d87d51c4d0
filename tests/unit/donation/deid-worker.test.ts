import 'fake-indexeddb/auto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../../src/donation/bundle-builder';
import { inProcessBundleWork, type PreviewBuild } from '../../../src/donation/bundle-work';
import { DeidClient, DeidError } from '../../../src/donation/deid-client';
import { readDonationSources } from '../../../src/donation/donation-sources';
import { saveMessage } from '../../../src/storage/conversations';
import { openChatDb } from '../../../src/storage/db';
import { DeidService, describeDeidError, readFromDatabase, type ReadSources } from '../../../src/donation/deid-worker/deid-service';
import type { DeidRequest } from '../../../src/donation/deid-worker/deid-protocol';
import { serveRequests, type MessagePort } from '../../../workers/shared/rpc/serve-requests';
import { message, writeConversation } from './support';

/**
 * The de-identification worker as the app runs it, minus the thread: the real serveRequests and
 * DeidService behind a stand-in Worker, every message structured-cloned (with its transfer list)
 * as the browser would. The worker file itself runs in Chromium (tests/e2e/donation-load.spec.ts).
 */
class LoopbackWorker extends EventTarget {
  readonly requests: DeidRequest[] = [];
  terminated = false;
  /** The worker's own scope: serveRequests listens on it. */
  private readonly inside: EventTarget;
  /** Lets a request held back by `hold` go on. */
  private held: (() => void) | null = null;

  constructor(readSources: ReadSources, hold = false) {
    super();
    const inside = Object.assign(new EventTarget(), {
      postMessage: (event: unknown, transfer: Transferable[] = []) => {
        if (this.terminated) return;
        const data = structuredClone(event, { transfer });
        setTimeout(() => this.dispatchEvent(new MessageEvent('message', { data })));
      },
    });
    const service = new DeidService(readSources);
    serveRequests<DeidRequest>(inside as unknown as MessagePort, {
      handle: async (request) => {
        if (hold) await new Promise<void>((release) => (this.held = release));
        await service.handle(request, (event, transfer) => inside.postMessage(event, transfer));
      },
      describe: describeDeidError,
    });
    this.inside = inside;
  }

  postMessage(request: DeidRequest): void {
    this.requests.push(request);
    const data = structuredClone(request);
    setTimeout(() => this.inside.dispatchEvent(new MessageEvent('message', { data })));
  }

  release(): void {
    this.held?.();
  }

  terminate(): void {
    this.terminated = true;
  }
}

let count = 0;
const dbs: string[] = [];
afterEach(() => dbs.splice(0));

async function seed(): Promise<{ dbName: string; conversationId: string }> {
  const dbName = `deid-worker-${++count}`;
  dbs.push(dbName);
  const db = await openChatDb(dbName);
  const chat = await writeConversation(db, 'Hello', [
    { user: 'Write to jane.doe@example.com. My mobile is 07700 900123 and I live in Springfield, IL 62704.', bot: 'Noted, jane.doe@example.com.' },
    { user: 'My dog is Zquorbl. Zquorbl says hi.', bot: 'Hello to Zquorbl!' },
  ]);
  db.close();
  return { dbName, conversationId: chat.id };
}

function previewBuild(conversationId: string, overrides: Partial<PreviewBuild> = {}): PreviewBuild {
  return {
    conversationIds: [conversationId],
    includeFeedback: true,
    exclusions: { conversations: new Set(), messages: new Set() },
    bundleId: 'b7c1e1de-5f55-4a0e-9d8b-3b7c2a3f2a10',
    createdAt: '2024-06-01T12:00:00.000Z',
    appVersion: '0.1.0',
    donor: 'donor-0123456789abcdef',
    consentGivenAt: '2024-05-01T10:00:00.000Z',
    declaredTerms: [],
    ...overrides,
  };
}

function ok(result: BuildResult) {
  if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result)}`);
  return result;
}

function clientFor(dbName: string, options: { hold?: boolean; reads?: string[][] } = {}) {
  const workers: LoopbackWorker[] = [];
  const read: ReadSources = (name, ids) => {
    options.reads?.push([...ids]);
    return readFromDatabase(name, ids);
  };
  const client = new DeidClient(dbName, () => {
    const worker = new LoopbackWorker(read, options.hold);
    workers.push(worker);
    return worker as unknown as Worker;
  });
  return { client, workers };
}

describe('the de-identification worker', () => {
  it('reads the conversations itself and posts back the same preview the page would build', async () => {
    const { dbName, conversationId } = await seed();
    const { client, workers } = clientFor(dbName);
    const fromWorker = ok(await client.build(previewBuild(conversationId)));
    const db = await openChatDb(dbName);
    const onPage = ok(await inProcessBundleWork((ids) => readDonationSources(db, ids)).build(previewBuild(conversationId)));
    db.close();

    // The page sent ids, not conversations.
    expect(workers[0]!.requests[0]).toMatchObject({ type: 'build', dbName, build: { conversationIds: [conversationId] } });
    expect(JSON.stringify(workers[0]!.requests[0])).not.toContain('07700');
    for (const key of ['json', 'segments', 'items', 'risks', 'summary'] as const) expect(fromWorker.preview[key]).toEqual(onPage.preview[key]);
    expect(fromWorker.origins).toEqual(onPage.origins);
    // Parsed from the JSON on first read; the same bundle.
    expect(fromWorker.preview.bundle).toEqual(onPage.preview.bundle);
    expect(fromWorker.preview.json).not.toContain('jane.doe@example.com');
    expect(fromWorker.preview.risks.length).toBeGreaterThan(0);
    client.dispose();
  });

  it('keeps the conversations of a preview for its rebuilds, and reads again for the next preview', async () => {
    const { dbName, conversationId } = await seed();
    const reads: string[][] = [];
    const { client } = clientFor(dbName, { reads });
    const first = ok(await client.build(previewBuild(conversationId)));

    // The chat goes on meanwhile; the open preview is rebuilt with a word replaced.
    const db = await openChatDb(dbName);
    const conversation = await db.get('conversations', conversationId);
    await saveMessage(db, message(conversationId, conversation!.currentLeafId, 'user', 'A new message'), { asCurrentLeaf: true });
    db.close();
    const rebuilt = ok(await client.build(previewBuild(conversationId, { declaredTerms: ['Zquorbl'] })));
    expect(reads).toHaveLength(1);
    expect(rebuilt.preview.summary.messageCount).toBe(first.preview.summary.messageCount);
    expect(rebuilt.preview.json).not.toContain('Zquorbl');
    expect(rebuilt.preview.json).toContain('[DECLARED_TERM_1]');

    const next = ok(await client.build(previewBuild(conversationId, { bundleId: '0d4a4bde-2b53-4a3b-8f0e-57d6e4a1f0b2' })));
    expect(reads).toHaveLength(2);
    expect(next.preview.summary.messageCount).toBe(first.preview.summary.messageCount + 1);
    client.dispose();
  });

  it('checks the exact text of a bundle before it is queued', async () => {
    const { dbName, conversationId } = await seed();
    const { client } = clientFor(dbName);
    const { preview } = ok(await client.build(previewBuild(conversationId)));
    await expect(client.check(preview.json)).resolves.toEqual({ ok: true, bundleId: previewBuild('').bundleId, conversationCount: 1, messageCount: 4 });
    const broken = await client.check(preview.json.replace('"schemaVersion"', '"schemaVersion!"'));
    expect(broken.ok).toBe(false);
    await expect(client.check('{')).resolves.toMatchObject({ ok: false, problems: [expect.stringMatching(/^not JSON/)] });
    client.dispose();
  });

  it('gives up a build on cancel by replacing the worker; the next build runs on a fresh one', async () => {
    const { dbName, conversationId } = await seed();
    const { client, workers } = clientFor(dbName, { hold: true });
    const cancelled = client.build(previewBuild(conversationId));
    client.cancel();
    await expect(cancelled).rejects.toMatchObject({ kind: 'worker-crashed', message: 'The preview was cancelled.' });
    expect(workers[0]!.terminated).toBe(true);

    const next = client.build(previewBuild(conversationId));
    await new Promise((resolve) => setTimeout(resolve, 10));
    workers[1]!.release();
    expect(ok(await next).preview.summary.conversationCount).toBe(1);
    // Nothing in flight: cancel leaves the worker be.
    client.cancel();
    expect(workers[1]!.terminated).toBe(false);
    client.dispose();
  });

  it('turns a failure into an error the store can show', async () => {
    const failing = new DeidClient('x', () => new LoopbackWorker(() => Promise.reject(new RangeError('Invalid string length'))) as unknown as Worker);
    await expect(failing.build(previewBuild('nothing'))).rejects.toEqual(new DeidError('out-of-memory', 'the bundle is too large to prepare on this device (Invalid string length)'));
    expect(describeDeidError(new Error('boom'))).toEqual({ kind: 'unknown', message: 'boom' });
    failing.dispose();
  });

  it('imports no UI code: the worker reaches only donation, storage and worker modules', () => {
    const root = resolve(__dirname, '../../..');
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
        const base = resolve(dirname(file), match[1]!);
        const found = [base, `${base}.ts`, `${base}/index.ts`].find((candidate) => candidate.endsWith('.ts') && existsSync(candidate));
        if (found) visit(found);
        else expect(base.endsWith('.json'), `${match[1]} from ${file}`).toBe(true);
      }
    };
    visit(resolve(root, 'src/donation/deid-worker/deid.worker.ts'));
    const files = [...seen].map((file) => file.slice(root.length + 1));
    expect(files).toContain('src/donation/bundle-builder.ts');
    expect(files).toContain('src/storage/db.ts');
    expect(files.filter((file) => file.startsWith('src/ui/') || file.includes('.svelte'))).toEqual([]);
  });
});
