import type { BuildResult } from './bundle-builder';
import { inProcessBundleWork, type BundleWork, type PreviewBuild } from './bundle-work';
import type { ConfirmCheck } from './confirm-check';
import type { DonationSource } from './donation-sources';
import { unpackPreview } from './posted-preview';
import type { ErrorKind } from '../../workers/shared/protocol';
import type { DeidEvent, DeidRequest, PostedBuild } from './deid-worker/deid-protocol';
import { WorkerRpc } from '../../workers/shared/rpc/worker-rpc';

export class DeidError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DeidError';
  }
}

const defaultFactory = (): Worker => new Worker(new URL('./deid-worker/deid.worker.ts', import.meta.url), { type: 'module', name: 'deid' });

/**
 * The de-identification worker, on the shared worker-RPC layer: the page sends which
 * conversations to donate and gets the finished preview back, so a 5 MB bundle never holds the
 * page. The worker starts on the first preview (not with the chat); one that crashed fails its
 * request, and the next request starts a fresh one.
 */
export class DeidClient implements BundleWork {
  private readonly rpc: WorkerRpc<DeidRequest, DeidEvent>;

  constructor(
    /** The app's database, which the worker reads the conversations from. */
    private readonly dbName: string,
    createWorker: () => Worker = defaultFactory,
  ) {
    this.rpc = new WorkerRpc({ name: 'de-identification', create: createWorker, error: (kind, message) => new DeidError(kind, message) });
  }

  build(build: PreviewBuild): Promise<BuildResult> {
    const body = { type: 'build' as const, build, dbName: this.dbName };
    return this.rpc.request(body, (event) => (event.type === 'built' ? unpackBuild(event.result) : undefined)).result;
  }

  check(json: string): Promise<ConfirmCheck> {
    return this.rpc.request({ type: 'check', json }, (event) => (event.type === 'checked' ? event.check : undefined)).result;
  }

  /** A build cannot be interrupted inside the worker: a fresh worker replaces it instead. */
  cancel(): void {
    if (this.rpc.inFlight > 0) this.rpc.restart('The preview was cancelled.');
  }

  dispose(): void {
    this.rpc.dispose();
  }
}

function unpackBuild(result: PostedBuild): BuildResult {
  return result.ok ? { ...result, preview: unpackPreview(result.preview) } : result;
}

/** What the store offers the work it starts. */
export interface WorkContext {
  dbName: string;
  /** Reads conversations through the store's own connection (for work on the page's thread). */
  readSources: (conversationIds: readonly string[]) => Promise<DonationSource[]>;
}

/** The worker where the browser can run one; this thread otherwise (Node tests). */
export function defaultBundleWork(context: WorkContext): BundleWork {
  return typeof Worker === 'function' ? new DeidClient(context.dbName) : inProcessBundleWork(context.readSources);
}
