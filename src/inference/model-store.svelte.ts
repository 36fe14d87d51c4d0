import type { BackendPreference, Dtype, LoadProgress } from '../../workers/shared/protocol';
import { chooseBackend, detectWebGpu, type BackendChoice, type WebGpuSupport } from '../../workers/shared/backend-choice';
import type { BackendMeasurement } from '../../workers/shared/backend-benchmark';
import { loadBackendMeasurements, saveBackendMeasurements, type BackendMeasurements } from '../storage/backend-measurements';
import type { ChatDb } from '../storage/db';
import { formatBytes } from '../render/format-bytes';
import { loadOnFasterBackend, measurementKeyFor } from './backend-measuring';
import { DialogueClient, DialogueError, type LoadMeasuring, type ReadyInfo } from './dialogue-client';
import { FolderImportError, importedModelId, planFolderImport, readModelFolder, type ModelFolder, type PickedFile } from './folder-import';
import { cacheLocalModelFile, purgeCachedModel, readCachedFiles, type CachedFiles } from './model-cache';
import { DEMO_MODEL, HUB_CATALOG, type CatalogEntry } from './model-catalog';
import { ALL_DTYPES, contextWindowOf } from './model-files';
import { CrashRecovery } from '../../workers/shared/rpc/crash-recovery';
import { browserLocks, ModelTabLock } from './model-tab-lock';
import { switchModel } from './model-switch';
import { checkModelHost, checkRepoId, DEFAULT_MODEL_HOST } from './model-host';
import { loadModelLibrary, saveModelLibrary } from './model-library';
import { downloadSize, expectedDownload, probeHostedModel, type HostedModel } from './model-probe';
import { storageShortfall } from './storage-check';

export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
  done: boolean;
}

/** 'elsewhere': another tab of the app runs the model (see model-tab-lock.ts); this one waits or takes it over. */
export type ModelPhase = 'idle' | 'loading' | 'ready' | 'error' | 'elsewhere';

/** A download the user started: first the host is asked for sizes, then the files come. */
export interface DownloadState {
  entry: CatalogEntry;
  stage: 'checking' | 'downloading' | 'cancelling';
  /** Bytes the chosen dtype's files add up to, per the host; 0 until known. */
  plannedBytes: number;
  dtype: Dtype | null;
}

/** What the picker shows for one model before anything is downloaded. */
export interface DownloadPlan {
  backend: BackendChoice['backend'];
  dtype: Dtype;
  /** Bytes to download, or null when unknown until the host is asked. */
  bytes: number | null;
  /** True when `bytes` was measured on the host rather than taken from the catalog. */
  measured: boolean;
}

/** One row of the model picker. */
export interface ModelRow {
  key: string;
  entry: CatalogEntry;
  cached: CachedFiles | null;
  active: boolean;
}

/** The cache and the library tell models apart by id and, for downloads, by host. */
export function modelKey(entry: CatalogEntry): string {
  return entry.spec.local ? `local:${entry.spec.id}` : `${entry.spec.host ?? DEFAULT_MODEL_HOST}/${entry.spec.id}`;
}

/**
 * Which chat model is chosen, the models on this device, and downloads and imports. A model is
 * switched in the running worker (no new worker, so an import works with the network off); when
 * a switch fails, the model it was switching to is purged from the cache and the previous model
 * is loaded again, so the app always has a model to chat with.
 */
export class ModelStore {
  model = $state<CatalogEntry>(DEMO_MODEL);
  phase = $state<ModelPhase>('idle');
  files = $state<FileProgress[]>([]);
  runtime = $state<ReadyInfo | null>(null);
  error = $state<string | null>(null);
  /** Good news or neutral outcomes (a cancelled download, a deletion). */
  notice = $state<string | null>(null);
  host = $state(DEFAULT_MODEL_HOST);
  added = $state<CatalogEntry[]>([]);
  cached = $state<Record<string, CachedFiles>>({});
  hosted = $state<Record<string, HostedModel>>({});
  checking = $state<string | null>(null);
  download = $state<DownloadState | null>(null);
  importing = $state(false);
  webgpu = $state<WebGpuSupport | null>(null);
  /** The measured figures the backend in use was chosen by (new or remembered); null when it was not. */
  measurement = $state<BackendMeasurement | null>(null);
  /** While a load times the model's decoding (measuring the backends), which takes longer than a load. */
  timing = $state(false);

  private db: ChatDb | null = null;
  private measurements: BackendMeasurements = {};
  private cancelRequested = false;
  private readonly recovery = new CrashRecovery();
  private readonly tabLock = new ModelTabLock(browserLocks(), {
    // The other tab closed (or this one took over): load here, unless start() is about to.
    acquired: () => {
      if (this.phase === 'elsewhere') void this.load();
    },
    lost: () => this.handOver(),
  });

  constructor(
    readonly client: DialogueClient,
    private readonly backend: () => BackendPreference,
  ) {
    client.onCrash((error) => this.recoverFrom(error));
  }

  /**
   * The worker died (and took the model with it): load the model again, at once the first time,
   * after doubling waits when it keeps happening, and not at all after too many crashes.
   */
  private recoverFrom(error: Error): void {
    this.runtime = null;
    this.phase = 'idle';
    const step = this.recovery.crashed();
    if ('giveUp' in step) {
      this.phase = 'error';
      this.error = `${error.message} It keeps crashing, so it was not loaded again. Choose another model under Models, or reload the page.`;
      return;
    }
    this.error = `${error.message} The model is loading again; your conversation is saved.`;
    setTimeout(async () => {
      await this.load();
      if (this.phase !== 'ready') return;
      this.error = null;
      this.notice = 'The model worker had crashed; it was restarted and the model is loaded again.';
    }, step.retryInMs);
  }

  get ready(): boolean {
    return this.phase === 'ready';
  }

  get busy(): boolean {
    return this.phase === 'loading' || this.download !== null || this.importing;
  }

  /** The demo, the catalog (from the current host), then the user's own models. */
  get rows(): ModelRow[] {
    const entries = [DEMO_MODEL, ...HUB_CATALOG.map((entry) => this.onHost(entry)), ...this.added];
    const seen = new Set<string>();
    const activeKey = modelKey(this.model);
    return entries.flatMap((entry) => {
      const key = modelKey(entry);
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ key, entry, cached: this.cached[key] ?? null, active: key === activeKey }];
    });
  }

  get downloadedBytes(): number {
    return this.files.reduce((sum, file) => sum + file.loaded, 0);
  }

  /** Restores the host and the chosen model, then loads it (from the cache: no download at start). */
  async start(db: ChatDb): Promise<void> {
    this.db = db;
    const library = await loadModelLibrary(db);
    this.host = library.host;
    this.added = library.added;
    this.measurements = await loadBackendMeasurements(db);
    this.webgpu = await detectWebGpu();
    await this.refreshCached();
    const chosen = library.active;
    if (!(await this.tabLock.claim())) {
      if (chosen && (chosen.spec.local || this.cached[modelKey(chosen)])) this.model = chosen;
      this.phase = 'elsewhere';
      return;
    }
    if (chosen && !chosen.spec.local && !this.cached[modelKey(chosen)]) {
      this.error = `${chosen.label} is no longer stored on this device, so the demo model is loaded instead. Download it again under Models.`;
    } else if (chosen) {
      this.model = chosen;
    }
    const failure = await this.tryLoad(this.model);
    if (failure && this.model !== DEMO_MODEL) {
      this.model = DEMO_MODEL;
      await this.tryLoad(DEMO_MODEL);
    }
    this.error = failure ?? this.error;
  }

  /** "Use it here": takes the model over from the tab that runs it; it loads here once that tab has let go. */
  async takeOver(): Promise<void> {
    await this.tabLock.takeOver();
  }

  /** Another tab took the model over: end this tab's worker (freeing its memory) and wait. */
  private handOver(): void {
    this.client.dispose('The model was taken over by another tab of this app.');
    this.runtime = null;
    this.measurement = null;
    this.phase = 'elsewhere';
  }

  /** Loads the chosen model again (after a backend change or a worker crash). */
  async load(): Promise<void> {
    const failure = await this.tryLoad(this.model);
    if (failure) this.error = failure;
  }

  /** Forgets how fast the backends ran the model in use here, and loads it again, measuring anew. */
  async measureAgain(): Promise<void> {
    const key = this.measurement?.key;
    if (!key || this.busy) return;
    const { [key]: _forgotten, ...rest } = this.measurements;
    await this.saveMeasurements(rest);
    await this.load();
  }

  /** What downloading `entry` would fetch for the backend this device would use. */
  plan(entry: CatalogEntry): DownloadPlan | null {
    if (!this.webgpu) return null;
    const hosted = this.hosted[modelKey(entry)];
    try {
      const choice = chooseBackend(this.backend(), this.webgpu, hosted?.dtypes ?? entry.spec.dtypes);
      return { backend: choice.backend, dtype: choice.dtype, ...expectedDownload(entry.publishedSizes, hosted, choice.dtype) };
    } catch {
      return null;
    }
  }

  async setHost(input: string): Promise<string | null> {
    const checked = checkModelHost(input);
    if (!checked.ok) return checked.message;
    this.host = checked.host;
    await this.saveLibrary();
    return null;
  }

  /** Asks the host for the model's files and sizes. Only ever on the user's request. */
  async checkSize(entry: CatalogEntry): Promise<HostedModel | null> {
    const key = modelKey(entry);
    this.checking = key;
    this.error = null;
    try {
      const hosted = await probeHostedModel(entry.spec.host ?? this.host, entry.spec.id);
      this.hosted[key] = hosted;
      return hosted;
    } catch (error) {
      this.error = messageOf(error);
      return null;
    } finally {
      this.checking = null;
    }
  }

  /** Adds a Hub repo by id and downloads it. */
  async downloadRepo(repoInput: string): Promise<string | null> {
    const checked = checkRepoId(repoInput);
    if (!checked.ok) return checked.message;
    const entry: CatalogEntry = this.onHost({
      spec: { id: checked.id, dtypes: ALL_DTYPES, contextWindow: 2048, local: false },
      label: checked.id,
      note: 'Added by repo id.',
      untrained: false,
      source: 'hub',
    });
    await this.downloadModel(entry);
    return null;
  }

  /** Sizes the download, checks it fits, then loads the model while its files download. */
  async downloadModel(listed: CatalogEntry): Promise<void> {
    if (this.busy) return;
    const entry = this.onHost(listed);
    this.error = null;
    this.notice = null;
    this.cancelRequested = false;
    this.download = { entry, stage: 'checking', plannedBytes: 0, dtype: null };
    try {
      const hosted = await this.checkSize(entry);
      if (!hosted || this.cancelRequested) {
        if (this.cancelRequested) this.notice = `Download of ${entry.label} cancelled. Nothing was stored.`;
        return;
      }
      const choice = chooseBackend(this.backend(), this.webgpu ?? (await detectWebGpu()), hosted.dtypes);
      const plannedBytes = downloadSize(hosted, choice.dtype);
      const shortfall = storageShortfall(plannedBytes, await storageEstimate());
      if (shortfall) {
        this.error = shortfall;
        return;
      }
      const ready: CatalogEntry = {
        ...entry,
        spec: { ...entry.spec, dtypes: hosted.dtypes, contextWindow: hosted.contextWindow },
      };
      this.download = { entry: ready, stage: 'downloading', plannedBytes, dtype: choice.dtype };
      if (await this.switchTo(ready, { fresh: true })) {
        this.remember(ready);
        this.notice = `${ready.label} is downloaded and stored on this device.`;
      }
    } finally {
      this.download = null;
      this.cancelRequested = false;
      await this.refreshCached();
    }
  }

  /**
   * Stops a download. The worker is shut down (transformers.js cannot abort a load), a fresh
   * one loads the previous model, and everything the download stored is purged.
   */
  cancelDownload(): void {
    if (!this.download) return;
    this.cancelRequested = true;
    this.download.stage = 'cancelling';
    if (this.phase === 'loading') this.client.dispose();
  }

  /** Uses a model already on this device (or the demo). */
  async use(entry: CatalogEntry): Promise<void> {
    if (this.busy) return;
    this.error = null;
    this.notice = null;
    await this.switchTo(entry, { fresh: false });
  }

  /** Deletes a model's cached files; the demo takes over if it was in use. */
  async remove(entry: CatalogEntry): Promise<void> {
    if (this.busy || entry.source === 'built-in') return;
    const key = modelKey(entry);
    const freed = this.cached[key]?.bytes ?? 0;
    if (key === modelKey(this.model)) await this.switchTo(DEMO_MODEL, { fresh: false });
    await purgeCachedModel(entry.spec);
    this.added = this.added.filter((e) => modelKey(e) !== key);
    await this.saveLibrary();
    await this.refreshCached();
    this.notice = `Deleted ${entry.label}; ${formatBytes(freed)} freed.`;
  }

  /**
   * Imports a model folder: its files go into the cache under the keys transformers.js looks
   * up for a local model, then the running worker loads it. Needs no network at all.
   */
  async importFolder(picked: Array<File | PickedFile>): Promise<void> {
    if (this.busy) return;
    this.error = null;
    this.notice = null;
    this.importing = true;
    let entry: CatalogEntry | null = null;
    try {
      const folder = readModelFolder(picked);
      const config = await readFolderConfig(folder);
      const webgpu = this.webgpu ?? (await detectWebGpu());
      const plan = planFolderImport(folder, config, (dtypes) => chooseBackend(this.backend(), webgpu, dtypes).dtype);
      const shortfall = storageShortfall(plan.bytes, await storageEstimate());
      if (shortfall) throw new FolderImportError(shortfall);
      const imported: CatalogEntry = {
        spec: { id: importedModelId(folder.name), dtypes: [plan.dtype], contextWindow: contextWindowOf(config), local: true },
        label: `${folder.name} (imported folder)`,
        note: isUntrainedDemo(config)
          ? 'Untrained: a copy of the built demo model, with random weights.'
          : 'Imported from a folder on this device.',
        untrained: isUntrainedDemo(config),
        source: 'folder',
      };
      entry = imported;
      await purgeCachedModel(imported.spec); // A folder imported again replaces the old copy.
      for (const { path, file } of plan.files) await cacheLocalModelFile(imported.spec, path, file);
      if (await this.switchTo(imported, { fresh: true })) {
        this.remember(imported);
        const skipped = plan.leftOut.length === 0 ? '' : ` Only its ${plan.dtype} weights were stored (this device runs those); ${plan.leftOut.join(', ')} ${plan.leftOut.length === 1 ? 'was' : 'were'} left in the folder.`;
        this.notice = `${imported.label} is imported and stored on this device.${skipped}`;
      }
    } catch (error) {
      if (entry) await purgeCachedModel(entry.spec);
      this.error = importFailure(error);
    } finally {
      this.importing = false;
      await this.refreshCached();
    }
  }

  /** Re-reads which models the cache holds and how big they are. */
  async refreshCached(): Promise<void> {
    const entries = [...HUB_CATALOG.map((entry) => this.onHost(entry)), ...this.added];
    const found: Record<string, CachedFiles> = {};
    for (const entry of entries) {
      const files = await readCachedFiles(entry.spec);
      if (files.files.length > 0) found[modelKey(entry)] = files;
    }
    this.cached = found;
  }

  /**
   * Loads `entry`; on failure purges what a fresh download or import stored and loads the
   * previous model again. Resolves true when `entry` is ready.
   */
  private async switchTo(entry: CatalogEntry, { fresh }: { fresh: boolean }): Promise<boolean> {
    const previous = this.phase === 'ready' ? this.model : DEMO_MODEL;
    const outcome = await switchModel(
      { to: entry, previous, demo: DEMO_MODEL, fresh },
      {
        load: (model) => {
          // The status shows the model being loaded (and, after a failure, the one it falls back to).
          this.model = model;
          return this.tryLoad(model);
        },
        purge: purgeAfterFailure,
        freshWorker: () => this.client.dispose(),
        save: () => this.saveLibrary(),
        cancelled: () => this.cancelRequested,
        same: (a, b) => modelKey(a) === modelKey(b),
      },
    );
    this.model = outcome.inUse;
    if (outcome.error) this.error = outcome.error;
    if (outcome.notice) this.notice = outcome.notice;
    return outcome.ok;
  }

  /** Loads `entry` in the worker; resolves with an error message, or null when it is ready. */
  private async tryLoad(entry: CatalogEntry): Promise<string | null> {
    // Never a second copy: a tab without the model loads nothing until it has taken it over.
    if (!this.tabLock.held) {
      this.phase = 'elsewhere';
      return null;
    }
    this.phase = 'loading';
    this.files = [];
    this.runtime = null;
    this.measurement = null;
    const cached = entry.spec.local ? null : (this.cached[modelKey(entry)] ?? null);
    // A stored download loads with the host out of the loop, so it works offline; only the
    // dtypes it has stored can run then.
    const spec = cached && cached.dtypes.length > 0 ? { ...entry.spec, dtypes: cached.dtypes } : entry.spec;
    // Svelte state is a proxy, which postMessage cannot clone: send a plain copy.
    const load = (backend: BackendPreference, measuring?: LoadMeasuring) => {
      this.timing = measuring?.measureSteps !== undefined;
      return this.client.load($state.snapshot(spec), backend, (p) => this.track(p), cached !== null, measuring);
    };
    const webgpu = this.webgpu ?? (await detectWebGpu());
    // Measuring loads the model on both backends: only from files already on the device, so
    // a download never fetches a second copy just to time it (it is measured at the next start).
    const key = cached !== null || entry.spec.local ? measurementKeyFor(webgpu, modelKey(entry), spec.dtypes) : null;
    try {
      try {
        const { ready, decision } = await loadOnFasterBackend({
          preference: this.backend(),
          webgpu,
          key,
          remembered: key === null ? null : (this.measurements[key] ?? null),
          load,
          freshWorker: () => this.client.dispose(),
        });
        this.runtime = ready;
        this.measurement = decision.measurement;
        if (decision.remember) await this.saveMeasurements({ ...this.measurements, [decision.remember.key]: decision.remember });
      } catch (error) {
        if (!(error instanceof DialogueError && error.kind === 'backend')) throw error;
        // WebGPU failed; a fresh worker runs the model on WASM and the UI says why.
        this.client.dispose();
        const onWasm = await load('wasm');
        this.runtime = { ...onWasm, fallbackReason: `WebGPU failed to load the model (${error.message}). Using WebAssembly (CPU).` };
      }
      this.phase = 'ready';
      return null;
    } catch (error) {
      this.phase = 'error';
      return messageOf(error);
    } finally {
      this.timing = false;
    }
  }

  /** A remote model without a host downloads from the host set now; a stored one keeps its own. */
  private onHost(entry: CatalogEntry): CatalogEntry {
    if (entry.spec.local || entry.spec.host) return entry;
    return { ...entry, spec: { ...entry.spec, host: this.host } };
  }

  private remember(entry: CatalogEntry): void {
    const key = modelKey(entry);
    this.added = [...this.added.filter((e) => modelKey(e) !== key), entry];
    void this.saveLibrary();
  }

  /** A measurement that cannot be stored is only taken again next time: no reason to fail a load. */
  private async saveMeasurements(measurements: BackendMeasurements): Promise<void> {
    this.measurements = measurements;
    if (this.db) await saveBackendMeasurements(this.db, measurements).catch(() => undefined);
  }

  private async saveLibrary(): Promise<void> {
    if (!this.db) return;
    const active = this.model.source === 'built-in' ? null : this.model;
    await saveModelLibrary(this.db, $state.snapshot({ host: this.host, active, added: this.added }));
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

/**
 * A cancelled download's worker was shut down mid-write; a write it had already handed to the
 * browser may land after the first sweep, so sweep again a moment later.
 */
async function purgeAfterFailure(entry: CatalogEntry, cancelled: boolean): Promise<void> {
  await purgeCachedModel(entry.spec);
  if (!cancelled) return;
  await new Promise((resolve) => setTimeout(resolve, 500));
  await purgeCachedModel(entry.spec);
}

/** Browsers without the Storage API (or outside a secure context) cannot say: let the write try. */
async function storageEstimate(): Promise<StorageEstimate> {
  return navigator.storage?.estimate ? navigator.storage.estimate() : {};
}

function isUntrainedDemo(config: unknown): boolean {
  return (config as { demo_untrained?: unknown } | null)?.demo_untrained === true;
}

function importFailure(error: unknown): string {
  if (error instanceof FolderImportError) return error.message;
  const text = messageOf(error);
  if (/quota/i.test(text)) {
    return `There is not enough browser storage to import this folder (${text}). Delete a cached model or free disk space, then try again.`;
  }
  if (error instanceof SyntaxError) return `The folder's config.json is not valid JSON (${text}). Check that the folder holds a transformers.js model.`;
  return `The folder could not be imported: ${text}`;
}

function messageOf(error: unknown): string {
  if (error instanceof DialogueError || error instanceof Error) return error.message;
  return String(error);
}

/** The folder's config.json, parsed; a clear error when it is not JSON. */
async function readFolderConfig(folder: ModelFolder): Promise<unknown> {
  try {
    return JSON.parse(await folder.files.find((f) => f.path === 'config.json')!.file.text());
  } catch {
    throw new FolderImportError('The folder\'s config.json is not valid JSON. Export the model again, or fix the file.');
  }
}
