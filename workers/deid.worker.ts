/// <reference lib="webworker" />
/**
 * The de-identification worker: reads the conversations chosen for donation, builds the bundle
 * and its preview, and checks a bundle again before it is queued, all off the page's thread.
 * The handling lives in deid/deid-service.ts. It imports the donation and storage code only,
 * never the UI (tests/unit/donation/deid-worker.test.ts checks).
 */
import { DeidService, describeDeidError, readFromDatabase } from './deid/deid-service';
import type { DeidEvent, DeidRequest } from './shared/deid-protocol';
import { serveRequests } from './shared/rpc/serve-requests';

declare const self: DedicatedWorkerGlobalScope;

const service = new DeidService(readFromDatabase);

serveRequests<DeidRequest>(self, {
  handle: (request) => service.handle(request, (event: DeidEvent, transfer: Transferable[] = []) => self.postMessage(event, transfer)),
  describe: describeDeidError,
});
