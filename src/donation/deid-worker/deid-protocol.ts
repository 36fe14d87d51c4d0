/**
 * Messages between the app and the de-identification worker (src/donation/deid-worker/deid.worker.ts). Like the
 * other protocols, every request carries an id and the worker answers with events for that id.
 * The payloads are the donation code's own plain types (type imports only: nothing runs here).
 */
import type { BuildResult } from '../bundle-builder';
import type { PreviewBuild } from '../preview-build';
import type { ConfirmCheck } from '../confirm-check';
import type { PostedPreview } from '../posted-preview';
import type { ErrorKind } from '../../../workers/shared/protocol';

type Built = Extract<BuildResult, { ok: true }>;
/** A build's result as it travels: its preview packed (posted-preview.ts). */
export type PostedBuild = Exclude<BuildResult, Built> | (Omit<Built, 'preview'> & { preview: PostedPreview });

export type DeidRequest =
  /**
   * De-identifies the chosen conversations into a bundle and its preview. The worker reads them
   * from the app's database (`dbName`) itself, on the first build of a preview.
   */
  | { type: 'build'; id: string; build: PreviewBuild; dbName: string }
  /** Checks the exact text of a previewed bundle again before it is queued. */
  | { type: 'check'; id: string; json: string };

export type DeidEvent =
  | { type: 'built'; id: string; result: PostedBuild }
  | { type: 'checked'; id: string; check: ConfirmCheck }
  | { type: 'error'; id: string; kind: ErrorKind; message: string };
