/**
 * The heavy part of donating — reading the chosen conversations, de-identifying them into a
 * bundle and its preview, and checking the bundle again before it is queued — behind one small
 * interface, so the store does not care where it runs: in the browser, a web worker that reads
 * the database itself (deid-client.ts, src/donation/deid-worker/deid.worker.ts), so the page neither reads nor
 * copies the conversations; in Node tests, right here, loaded on first use.
 */
import type { BuildResult } from './bundle-builder';
import type { ConfirmCheck } from './confirm-check';
import type { DonationSource } from './donation-sources';
import { KeptSources } from './kept-sources';
import { withSources, type PreviewBuild } from './preview-build';

export type { PreviewBuild } from './preview-build';

export interface BundleWork {
  build(build: PreviewBuild): Promise<BuildResult>;
  /** Parses and validates the exact text of a previewed bundle. */
  check(json: string): Promise<ConfirmCheck>;
  /** Gives up what is in flight (a preview the user cancelled or replaced); its promise rejects. */
  cancel(): void;
  dispose(): void;
}

/**
 * Runs the work on the calling thread, reading conversations with `readSources`. The builder
 * (and its NLP library) loads on the first call, not with the chat.
 */
export function inProcessBundleWork(readSources: (conversationIds: readonly string[]) => Promise<DonationSource[]>): BundleWork {
  let modules: Promise<[typeof import('./bundle-builder'), typeof import('./confirm-check')]> | null = null;
  const load = () => {
    modules ??= Promise.all([import('./bundle-builder'), import('./confirm-check')]).catch((error: unknown) => {
      // A failed chunk load (offline, an update) may work next time.
      modules = null;
      throw error;
    });
    return modules;
  };
  const kept = new KeptSources<DonationSource[]>();
  return {
    async build(build) {
      const [[builder], sources] = await Promise.all([load(), kept.get(build.bundleId, () => readSources(build.conversationIds))]);
      return builder.buildBundle(withSources(build, sources));
    },
    check: async (json) => (await load())[1].checkConfirmed(json),
    // Work on this thread runs to the end once started; the store ignores an outdated result.
    cancel: () => undefined,
    dispose: () => undefined,
  };
}
