/**
 * The de-identification worker's request handling, free of worker globals so Node tests run it
 * as the worker does. The work itself is the donation code's (bundle-builder.ts,
 * confirm-check.ts): the worker moves it off the page's thread, where a 5 MB bundle held the
 * page for seconds, and reads the conversations itself, so the page never holds or copies them.
 */
import { buildBundle } from '../bundle-builder';
import { withSources } from '../preview-build';
import { checkConfirmed } from '../confirm-check';
import { readDonationSources, type DonationSource } from '../donation-sources';
import { KeptSources } from '../kept-sources';
import { packPreview } from '../posted-preview';
import { openChatDb } from '../../storage/db';
import type { DeidEvent, DeidRequest } from './deid-protocol';
import type { ErrorKind } from '../../../workers/shared/protocol';

/** Posts an event; `transfer` lists buffers that move to the page rather than being copied. */
export type PostEvent = (event: DeidEvent, transfer?: Transferable[]) => void;

/** Reads the chosen conversations from the app's database (donation-sources.ts `readDonationSources`). */
export type ReadSources = (dbName: string, conversationIds: readonly string[]) => Promise<DonationSource[]>;

/**
 * The worker's reader: a connection of its own, open only while reading. The page's connection
 * is the app's one long-lived one; a short-lived one steps aside at once if another tab upgrades
 * the database (openChatDb without a listener).
 */
export async function readFromDatabase(dbName: string, conversationIds: readonly string[]): Promise<DonationSource[]> {
  const db = await openChatDb(dbName);
  try {
    return await readDonationSources(db, conversationIds);
  } finally {
    db.close();
  }
}

export class DeidService {
  private readonly kept = new KeptSources<DonationSource[]>();

  constructor(private readonly readSources: ReadSources) {}

  async handle(request: DeidRequest, post: PostEvent): Promise<void> {
    switch (request.type) {
      case 'build': {
        const { build, dbName } = request;
        const sources = await this.kept.get(build.bundleId, () => this.readSources(dbName, build.conversationIds));
        const result = buildBundle(withSources(build, sources));
        if (!result.ok) return post({ type: 'built', id: request.id, result });
        const { posted, transfer } = packPreview(result.preview);
        return post({ type: 'built', id: request.id, result: { ...result, preview: posted } }, transfer);
      }
      case 'check':
        return post({ type: 'checked', id: request.id, check: checkConfirmed(request.json) });
    }
  }
}

/** A worker out of memory says so in a RangeError ("Invalid string length", "Array buffer allocation failed"). */
export function describeDeidError(error: unknown): { kind: ErrorKind; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const outOfMemory = error instanceof RangeError && /string length|allocation failed|out of memory/i.test(message);
  return { kind: outOfMemory ? 'out-of-memory' : 'unknown', message: outOfMemory ? `the bundle is too large to prepare on this device (${message})` : message };
}
