import type { Page } from '@playwright/test';

/**
 * Every record of every object store of the app's database, read straight from IndexedDB in
 * the page (not through the app), as `{ store: [[key, value], …] }`.
 */
export function dumpDatabase(page: Page): Promise<Record<string, Array<[unknown, unknown]>>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('feedback-chat');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const result: Record<string, Array<[unknown, unknown]>> = {};
    const names = Array.from(db.objectStoreNames);
    const tx = db.transaction(names, 'readonly');
    await Promise.all(names.map((name) => new Promise<void>((resolve, reject) => {
      const store = tx.objectStore(name);
      const keys = store.getAllKeys();
      const values = store.getAll();
      values.onsuccess = () => {
        result[name] = keys.result.map((key, i) => [key, values.result[i]]);
        resolve();
      };
      values.onerror = () => reject(values.error);
    })));
    db.close();
    return result;
  });
}

/**
 * Deletes the origin's IndexedDB data the way "Clear site data" does: open connections are
 * closed by the browser. The service worker and cached models stay.
 */
export async function wipeDatabase(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'indexeddb' });
  await cdp.detach();
}

/** Resolves once a service worker controls the page (it precaches the app on first visit). */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
  });
}

/** Writes `content` as the text of every stored reply, as a model (or a hostile one) might have written it. */
export async function overwriteReplies(page: Page, content: string): Promise<void> {
  await page.evaluate(async (content) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('feedback-chat');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction('messages', 'readwrite');
    const store = tx.objectStore('messages');
    const all = await new Promise<Array<{ role: string; content: string }>>((resolve) => {
      const request = store.getAll();
      request.onsuccess = () => resolve(request.result as Array<{ role: string; content: string }>);
    });
    for (const message of all) if (message.role === 'assistant') store.put({ ...message, content });
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  }, content);
}
