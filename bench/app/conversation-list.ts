import type { Page } from '@playwright/test';

/** What a row of the conversation list is in the DOM (src/ui/conversation/ConversationItem.svelte). */
const ROW_SELECTOR = 'nav[aria-label="Conversations"] li.conversation';

export interface ListOpenTiming {
  /** From the reload starting to the first frame painted with rows in the list, in ms. */
  ms: number;
  /** Conversations stored (not deleted). */
  conversations: number;
  /** Rows in the list's DOM in that first frame. */
  rendered: number;
}

/**
 * Replaces the stored conversations with `count` made-up ones (four messages each: two questions,
 * two markdown replies), written straight into IndexedDB with the app's schema
 * (src/storage/schema.ts), then reloads and waits for the list's first row. Replacing rather
 * than adding keeps the count exact when one page is seeded twice. The model is loading again
 * afterwards: call `openReadyApp` (or wait for the backend badge) before measuring a reply.
 */
export async function seedConversations(page: Page, count: number): Promise<void> {
  await page.evaluate(async (total) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      // No version: the app has already created the database at its current version.
      const open = indexedDB.open('feedback-chat');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction(['conversations', 'messages', 'feedback'], 'readwrite');
    for (const name of ['conversations', 'messages', 'feedback']) tx.objectStore(name).clear();
    const topics = ['sourdough bread', 'a trip to Lisbon', 'TypeScript generics', 'houseplants', 'a job interview', 'marathon training', 'tax forms', 'a birthday party'];
    const start = Date.now() - total * 60_000;
    for (let i = 0; i < total; i++) {
      const topic = topics[i % topics.length]!;
      const conversationId = crypto.randomUUID();
      const at = start + i * 60_000;
      const texts: [role: 'user' | 'assistant', content: string][] = [
        ['user', `Can you help me with ${topic}? (#${i})`],
        ['assistant', `Of course. Here is how to think about **${topic}**:\n\n1. Start small.\n2. Keep notes.\n3. Ask again when stuck.\n\nWhat have you tried so far?`],
        ['user', `I tried once, it went badly. What should I change first about ${topic}?`],
        ['assistant', `Change one thing at a time, so you can tell what helped.\n\n| step | why |\n| --- | --- |\n| plan | fewer surprises |\n| review | learn faster |\n\n\`\`\`text\nnote: ${topic}\n\`\`\``],
      ];
      let parentId: string | null = null;
      texts.forEach(([role, content], n) => {
        const id = crypto.randomUUID();
        const createdAt = at + n * 1000;
        tx.objectStore('messages').put({ id, conversationId, parentId, role, content, createdAt, updatedAt: createdAt, status: 'complete' });
        parentId = id;
      });
      tx.objectStore('conversations').put({
        id: conversationId, title: `Help with ${topic} #${i}`, createdAt: at, updatedAt: at + 3000, systemPrompt: '', currentLeafId: parentId,
      });
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    db.close();
  }, count);
  await page.reload();
  // The rows, not the model: a reload restarts the model load, which can take long on a busy machine.
  if (count > 0) await page.locator(ROW_SELECTOR).first().waitFor({ timeout: 120_000 });
}

/**
 * How long the user waits to see their conversations. At every width the list is part of the
 * page (a sidebar, or a drawer whose rows are already in the DOM on a narrow screen), so
 * opening it means loading the app: measured from the reload starting (the new document's time
 * origin) to the first frame painted with rows in the list. The page must be open on the app;
 * it is left reloaded, with the model loading again.
 */
export async function timeToOpenConversationList(page: Page): Promise<ListOpenTiming> {
  // Installed before the app's scripts run in the reloaded document, so no row can come first.
  await page.addInitScript((selector) => {
    const scope = window as unknown as { __listOpen?: { ms: number; rendered: number } };
    // Init scripts pile up on a page: an earlier call already installed this one.
    if (scope.__listOpen) return;
    const record = { ms: -1, rendered: 0 };
    scope.__listOpen = record;
    const watch = new MutationObserver(() => {
      if (!document.querySelector(selector)) return;
      watch.disconnect();
      // rAF runs before the frame's paint; the task after it runs once that frame is painted.
      requestAnimationFrame(() => {
        setTimeout(() => {
          record.ms = performance.now();
          record.rendered = document.querySelectorAll(selector).length;
        }, 0);
      });
    });
    watch.observe(document, { childList: true, subtree: true });
  }, ROW_SELECTOR);
  await page.reload();
  await page.waitForFunction(() => ((window as unknown as { __listOpen?: { ms: number } }).__listOpen?.ms ?? -1) >= 0, null, { timeout: 120_000 });
  const record = await page.evaluate(() => (window as unknown as { __listOpen: { ms: number; rendered: number } }).__listOpen);
  const conversations = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('feedback-chat');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = await new Promise<{ deletedAt?: number }[]>((resolve, reject) => {
      const request = db.transaction('conversations').objectStore('conversations').getAll();
      request.onsuccess = () => resolve(request.result as { deletedAt?: number }[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return all.filter((c) => c.deletedAt === undefined).length;
  });
  return { ms: Math.round(record.ms), conversations, rendered: record.rendered };
}
