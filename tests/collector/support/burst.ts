/**
 * A burst of donations from many clients at once, for the crash tests: every upload is tried once;
 * after `killAfterAcks` acknowledgements `kill()` runs (kill -9 of a collector process), and from
 * then on a failed upload is recorded instead of failing the test.
 */
import type { DonationBundle } from '../../../src/donation/bundle-types';
import { makeBundle, newToken } from './bundles';
import { postBundle } from './collector';
import type { Rng } from './rng';

export interface Upload {
  bundle: DonationBundle;
  body: string;
  token: string;
}

export function makeUploads(rng: Rng, count: number): Upload[] {
  return Array.from({ length: count }, () => {
    const bundle = makeBundle({ rng });
    return { bundle, body: JSON.stringify(bundle), token: newToken() };
  });
}

export interface BurstResult {
  /** bundle id → receipt id, for every upload answered 201. */
  acknowledged: Map<string, string>;
  /** Uploads that got no answer (or an error) after the kill. */
  failed: Upload[];
  /** Of those, the ones that got no answer within 10 s. */
  timedOut: number;
}

export async function uploadBurst(options: {
  url: string;
  uploads: Upload[];
  concurrency: number;
  killAfterAcks: number;
  kill: () => void;
}): Promise<BurstResult> {
  const acknowledged = new Map<string, string>();
  const failed: Upload[] = [];
  let timedOut = 0;
  let killed = false;
  let next = 0;
  const client = async (): Promise<void> => {
    for (;;) {
      const upload = options.uploads[next++];
      if (upload === undefined) return;
      try {
        // A connection the dead process held may never be answered: give up on it as a client would.
        const response = await postBundle(options.url, upload.body, { token: upload.token, timeoutMs: 10_000 });
        if (response.status !== 201) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
        const receipt = (await response.json()) as { receiptId: string };
        acknowledged.set(upload.bundle.bundleId, receipt.receiptId);
        if (!killed && acknowledged.size >= options.killAfterAcks) {
          killed = true;
          options.kill();
        }
      } catch (error) {
        if (!killed) throw error;
        if (error instanceof DOMException && error.name === 'TimeoutError') timedOut++;
        failed.push(upload);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  return { acknowledged, failed, timedOut };
}
