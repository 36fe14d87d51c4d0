/// <reference lib="webworker" />
/**
 * The de-identification worker: reads the conversations chosen for donation, builds the bundle
 * and its preview, and checks a bundle again before it is queued, all off the page's thread.
 * It lives with the donation code it runs (workers/ never imports src/), and the handling is in
 * deid-service.ts. It imports the donation and storage code only,
 * never the UI (tests/unit/donation/deid-worker.test.ts checks).
 */
import { DeidService, describeDeidError, readFromDatabase } from './deid-service';
import type { DeidEvent, DeidRequest } from './deid-protocol';
import { serveRequests } from '../../../workers/shared/rpc/serve-requests';

declare const self: DedicatedWorkerGlobalScope;

const service = new DeidService(readFromDatabase);

serveRequests<DeidRequest>(self, {
  handle: (request) => service.handle(request, (event: DeidEvent, transfer: Transferable[] = []) => self.postMessage(event, transfer)),
  describe: describeDeidError,
});
