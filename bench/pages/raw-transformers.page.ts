// The page only relays; the work happens in the worker.
import { relayBenchRaw } from './raw-page';

relayBenchRaw('raw-transformers', () => new Worker(new URL('./raw-transformers.worker.ts', import.meta.url), { type: 'module' }));
