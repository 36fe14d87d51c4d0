import type { BuildRequest } from './bundle-builder';
import type { DonationSource } from './donation-sources';

/** A build as the store asks for it: which conversations, not the conversations themselves. */
export interface PreviewBuild extends Omit<BuildRequest, 'sources'> {
  /**
   * Read on the first build of a preview (its bundleId) and kept for its rebuilds, so every
   * rebuild de-identifies the same conversations (kept-sources.ts).
   */
  conversationIds: readonly string[];
}

/** The request a build becomes once its conversations are read. */
export function withSources({ conversationIds: _ids, ...build }: PreviewBuild, sources: DonationSource[]): BuildRequest {
  return { ...build, sources };
}
