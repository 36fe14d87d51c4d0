/**
 * CPU time per Chromium thread, read from Linux's /proc (utime + stime of every thread of every
 * chromium process), so work a trace cannot attribute — onnxruntime's pool threads spinning in a
 * never-ending pthread task, the compositor, raster workers — is counted too. Two snapshots
 * around a piece of work give what each kind of thread spent on it.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks; 100 per second on every mainstream kernel config. */
const TICKS_PER_SECOND = 100;

export type ThreadSnapshot = Map<string, { label: string; ticks: number }>;

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process or thread ended between listing and reading
  }
}

/** "renderer", "gpu-process", "utility"… from the command line; "browser" without --type. */
function processType(pid: string): string | null {
  const cmdline = read(`/proc/${pid}/cmdline`);
  if (cmdline === null || !/chrom/i.test(cmdline.split('\0')[0] ?? '')) return null;
  return /--type=([\w-]+)/.exec(cmdline)?.[1] ?? 'browser';
}

export function snapshotChromiumThreads(): ThreadSnapshot {
  const snapshot: ThreadSnapshot = new Map();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const type = processType(pid);
    if (!type) continue;
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      // comm is in parentheses and may hold spaces; the fields after it are space-separated.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
      snapshot.set(`${pid}/${tid}`, { label: `${type} · ${comm}`, ticks });
    }
  }
  return snapshot;
}

/** Milliseconds of CPU per thread label between two snapshots, largest first. */
export function cpuMsByThread(before: ThreadSnapshot, after: ThreadSnapshot): Array<{ label: string; ms: number; threads: number }> {
  const byLabel = new Map<string, { ms: number; threads: number }>();
  for (const [key, now] of after) {
    const spent = now.ticks - (before.get(key)?.ticks ?? 0);
    if (spent <= 0) continue;
    const entry = byLabel.get(now.label) ?? { ms: 0, threads: 0 };
    entry.ms += (spent * 1000) / TICKS_PER_SECOND;
    entry.threads += 1;
    byLabel.set(now.label, entry);
  }
  return [...byLabel].map(([label, v]) => ({ label, ...v })).sort((a, b) => b.ms - a.ms);
}
