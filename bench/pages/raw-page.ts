/** The page side of both raw pages: `window.benchRaw`, relayed to the page's worker. */
import type { BenchRaw } from './bench-api';
import { openBenchWorker } from './bench-client';

declare global {
  interface Window {
    benchRaw?: BenchRaw;
  }
}

export function relayBenchRaw(name: string, create: () => Worker): void {
  openBenchWorker<BenchRaw>({ name, create, methods: { load: true, generate: true, dispose: true } }, (api) => {
    window.benchRaw = api;
  });
}
