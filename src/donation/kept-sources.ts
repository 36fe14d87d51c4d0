/**
 * The conversations a preview was built from, read once and kept for its rebuilds (an item
 * removed, a word replaced, a setting changed), so a rebuild shows the same conversations
 * rather than whatever the chat holds by then, and a 5 MB bundle is not read again for every
 * click. Only the newest preview's are kept: starting another one lets the last one go. They
 * live where they were read (the worker): a worker replaced after a crash or a cancelled build
 * reads them again, so that one rebuild may show messages written since.
 */
export class KeptSources<T> {
  private kept: { key: string; sources: Promise<T> } | null = null;

  /** The sources kept under `key`, or what `read` gives (then kept under it). A failed read is not kept. */
  get(key: string, read: () => Promise<T>): Promise<T> {
    if (this.kept?.key === key) return this.kept.sources;
    const sources = read();
    const kept = { key, sources };
    this.kept = kept;
    sources.catch(() => {
      if (this.kept === kept) this.kept = null;
    });
    return sources;
  }
}
