// The page only relays; the work happens in the worker.
import { relayBenchRaw } from './raw-page';

relayBenchRaw('raw-ort', () => new Worker(new URL('./raw-ort.worker.ts', import.meta.url), { type: 'module' }));
