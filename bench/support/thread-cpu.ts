import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream distribution). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) the calling thread has used, from /proc/thread-self/stat: unlike
 * process.cpuUsage() it leaves out the worker threads (the HTTP clients) and libuv's pool, so it is
 * the service's event loop alone. Resolution 10 ms; null where /proc is missing.
 */
export function threadCpuMs(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/thread-self/stat', 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces), in parentheses: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU time (user + system, ms, all threads) of a process and its descendants that are alive now (a
 * service started with API_PROCESSES: the primary and its forked API processes), from /proc/<pid>/stat;
 * null where /proc is missing. Call it before and after a run while the processes live.
 */
export function processTreeCpuMs(rootPid: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const stats = new Map<number, { parent: number; ms: number }>();
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command name: state (field 3), ppid (4), ..., utime (14), stime (15).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(name), { parent: Number(fields[1]), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND });
    } catch {
      // The process ended while we listed them.
    }
  }
  let total = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    total += stats.get(pid)?.ms ?? 0;
    for (const [child, s] of stats) if (s.parent === pid) pending.push(child);
  }
  return total;
}
