/**
 * Lets the worker make a failed model load leave nothing behind. transformers.js writes each
 * file to the cache as soon as it has read it, and when one file fails the others keep
 * downloading and writing in the background. The guard sits between transformers.js and the
 * network and cache: `fail()` aborts the downloads still running, drops writes that arrive
 * afterwards and waits for writes already under way, so the app can then purge the model's
 * entries knowing none will reappear.
 */

/** The subset of the Cache API transformers.js calls on a custom cache. */
export interface ModelCache {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
  delete(request: string): Promise<boolean>;
}

export class DownloadGuard {
  private downloads = new AbortController();
  private writesOpen = true;
  private readonly pendingWrites = new Set<Promise<void>>();
  /**
   * transformers.js only logs a failed cache write (it keeps the file in memory), so a full
   * disk would go unnoticed until the next offline start. The worker reads this after a load.
   */
  writeFailure: unknown = null;

  constructor(
    private readonly openCache: () => Promise<Cache>,
    private readonly baseUrl: string,
    private readonly networkFetch: typeof fetch = globalThis.fetch.bind(globalThis),
  ) {}

  /** Starts a new load: downloads may run and their files may be cached again. */
  begin(): void {
    this.downloads = new AbortController();
    this.writesOpen = true;
    this.writeFailure = null;
  }

  /** Stops the current load's downloads and writes; resolves once no write is in flight. */
  async fail(): Promise<void> {
    this.writesOpen = false;
    this.downloads.abort(new DOMException('The model load failed.', 'AbortError'));
    while (this.pendingWrites.size > 0) await Promise.allSettled([...this.pendingWrites]);
  }

  readonly fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    this.networkFetch(input, { ...init, signal: this.downloads.signal });

  readonly cache: ModelCache = {
    // Keys may be paths (local models); the Cache API resolves them like the worker would.
    match: async (request) => (await this.openCache()).match(this.absolute(request)),
    delete: async (request) => (await this.openCache()).delete(this.absolute(request)),
    put: async (request, response) => {
      if (!this.writesOpen) return;
      const write = this.openCache().then((cache) => cache.put(this.absolute(request), response));
      this.pendingWrites.add(write);
      try {
        await write;
      } catch (error) {
        this.writeFailure ??= error;
        throw error;
      } finally {
        this.pendingWrites.delete(write);
      }
    },
  };

  private absolute(request: string): string {
    return new URL(request, this.baseUrl).href;
  }
}
