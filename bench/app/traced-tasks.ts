import type { Browser, Page } from '@playwright/test';

/** A main-thread task as Chromium's trace saw it. */
export interface TracedTask {
  /** Wall-clock time, as the 'longtask' API reports it. */
  wallMs: number;
  /** Time the thread actually ran: on a busy machine, far less than wallMs for a task that waited for a core. */
  cpuMs: number;
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * Runs `work` while Chromium traces its scheduler ('toplevel' only: the lightest category that
 * still has every task), and returns the page's longest main-thread tasks by wall-clock and by
 * thread time. The 'longtask' API gives wall-clock time only, which on a shared two-core
 * machine mostly measures how long the page waited for a core; thread time is what the page did.
 */
export async function traceMainThread<T>(browser: Browser, page: Page, work: () => Promise<T>): Promise<{ result: T; longestWall: TracedTask; longestCpu: TracedTask }> {
  await browser.startTracing(page, { categories: ['toplevel'] });
  const result = await work().catch(async (error: unknown) => {
    await browser.stopTracing();
    throw error;
  });
  const trace = await browser.stopTracing();
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}/${e.tid}`));
  const tasks = events
    .filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && mainThreads.has(`${e.pid}/${e.tid}`))
    // A task cut by the start or end of the trace can come with a thread time above its wall time: not a whole task.
    .filter((e) => (e.tdur ?? 0) <= (e.dur ?? 0))
    .map((e) => ({ wallMs: Math.round((e.dur ?? 0) / 1000), cpuMs: Math.round((e.tdur ?? 0) / 1000) }));
  const none = { wallMs: 0, cpuMs: 0 };
  return {
    result,
    longestWall: tasks.reduce((a, b) => (b.wallMs > a.wallMs ? b : a), none),
    longestCpu: tasks.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a), none),
  };
}
