import { formatBytes } from '../render/format-bytes';

export interface StorageEstimateLike {
  quota?: number;
  usage?: number;
}

/**
 * Room kept free beyond the model itself: the browser evicts or refuses writes as the origin
 * nears its quota, and a download that fails at 95% wastes the user's time and data.
 */
export const STORAGE_HEADROOM = 1.1;

/** Null when `bytesNeeded` fits in the origin's free quota, else a message saying what to do. */
export function storageShortfall(bytesNeeded: number, estimate: StorageEstimateLike): string | null {
  if (estimate.quota === undefined) return null; // The browser did not say: let the download try.
  const free = Math.max(0, estimate.quota - (estimate.usage ?? 0));
  if (bytesNeeded * STORAGE_HEADROOM <= free) return null;
  return `This model needs ${formatBytes(bytesNeeded)} but only ${formatBytes(free)} of browser storage is free. Delete a cached model or free disk space, then try again.`;
}
