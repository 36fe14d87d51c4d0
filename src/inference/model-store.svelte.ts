import type { BackendPreference, LoadProgress } from '../../workers/protocol';
import { DialogueClient, DialogueError, type ReadyInfo } from './dialogue-client';
import { DEMO_MODEL, type CatalogEntry } from './model-catalog';

export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
  done: boolean;
}

export type ModelPhase = 'idle' | 'loading' | 'ready' | 'error';

/** Which chat model is chosen, its loading progress, and the runtime it ended up on. */
export class ModelStore {
  model = $state<CatalogEntry>(DEMO_MODEL);
  phase = $state<ModelPhase>('idle');
  files = $state<FileProgress[]>([]);
  runtime = $state<ReadyInfo | null>(null);
  error = $state<string | null>(null);

  constructor(
    readonly client: DialogueClient,
    private readonly backend: () => BackendPreference,
  ) {
    client.onCrash((error) => {
      this.error = error.message;
      this.runtime = null;
      void this.load();
    });
  }

  get ready(): boolean {
    return this.phase === 'ready';
  }

  async load(): Promise<void> {
    this.phase = 'loading';
    this.files = [];
    this.error = null;
    try {
      // Svelte state is a proxy, which postMessage cannot clone: send a plain copy.
      this.runtime = await this.client.load($state.snapshot(this.model.spec), this.backend(), (p) => this.track(p));
      this.phase = 'ready';
    } catch (error) {
      this.phase = 'error';
      this.runtime = null;
      this.error = error instanceof DialogueError ? error.message : String(error);
    }
  }

  private track(progress: LoadProgress): void {
    const existing = this.files.find((f) => f.file === progress.file);
    const entry = existing ?? { file: progress.file, loaded: 0, total: 0, done: false };
    if (progress.status === 'progress') {
      entry.loaded = progress.loaded;
      entry.total = progress.total;
    }
    if (progress.status === 'done') entry.done = true;
    if (!existing) this.files.push(entry);
  }
}
