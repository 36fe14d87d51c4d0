/**
 * Switching the chat model, as a decision apart from the store: load the new model; when that
 * fails, drop what it left behind and load the model that ran before (the demo when there was
 * none, or when it was that same model), so the app always has a model to chat with.
 */
export interface SwitchSteps<E> {
  /** Loads a model; resolves with what went wrong, or null when it is ready. */
  load(entry: E): Promise<string | null>;
  /** Removes a fresh download's files after it failed or was cancelled. */
  purge(entry: E, cancelled: boolean): Promise<void>;
  /**
   * Replaces the worker: transformers.js chains every ONNX session creation on one promise, so
   * after one failed (a damaged file, out of memory) no other model can load in that worker.
   */
  freshWorker(): void;
  /** Stores which model is in use. */
  save(): Promise<void>;
  /** Whether the user cancelled the download being switched to. */
  cancelled(): boolean;
  same(a: E, b: E): boolean;
}

export interface SwitchRequest<E> {
  to: E;
  /** What ran before (the demo when nothing was ready). */
  previous: E;
  demo: E;
  /** A download just made: its files go when it fails. */
  fresh: boolean;
}

export interface SwitchOutcome<E> {
  ok: boolean;
  /** The model now chosen (loaded, unless `error` says even the fallback failed). */
  inUse: E;
  error: string | null;
  notice: string | null;
}

export async function switchModel<E extends { label: string }>(request: SwitchRequest<E>, steps: SwitchSteps<E>): Promise<SwitchOutcome<E>> {
  const { to, previous, demo, fresh } = request;
  const failure = await steps.load(to);
  if (!failure) {
    await steps.save();
    return { ok: true, inUse: to, error: null, notice: null };
  }
  const cancelled = steps.cancelled();
  if (fresh) await steps.purge(to, cancelled);
  // A cancelled download never reached session creation: its worker is still usable.
  if (!cancelled) steps.freshWorker();
  const fallback = steps.same(previous, to) ? demo : previous;
  const fallbackFailure = await steps.load(fallback);
  await steps.save();
  const back = fallbackFailure ? `Loading ${fallback.label} failed too: ${fallbackFailure}` : `${fallback.label} is loaded again.`;
  if (cancelled) {
    return {
      ok: false,
      inUse: fallback,
      notice: `Download of ${to.label} cancelled; nothing of it was kept. ${back}`,
      error: fallbackFailure ? back : null,
    };
  }
  return { ok: false, inUse: fallback, notice: null, error: `${failure}${fresh ? ' Nothing of it was kept.' : ''} ${back}` };
}
