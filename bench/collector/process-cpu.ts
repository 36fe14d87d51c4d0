/**
 * CPU seconds of a process and its children, from /proc (Linux only; NaN elsewhere). A collector
 * with `--workers N` is a primary and N workers; a PostgreSQL server is the postmaster and one
 * backend per connection. Children that already exited count through the parent's cutime/cstime.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] | undefined {
  try {
    // The command name (field 2) may hold spaces; the fields after its ")" are split safely.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
  } catch {
    return undefined;
  }
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** utime + stime of `pid`, with its reaped children's time, plus that of its living descendants. */
export function treeCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const own = statFields(pid);
  if (own === undefined) return NaN;
  // After the command: field 14 utime, 15 stime, 16 cutime, 17 cstime → indexes 11–14.
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  const stack = children(pid);
  while (stack.length > 0) {
    const child = stack.pop()!;
    const fields = statFields(child);
    if (fields === undefined) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
    stack.push(...children(child));
  }
  return ticks / TICKS_PER_SECOND;
}

/** The postmaster's pid: the first line of `postmaster.pid` in the data directory. */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
