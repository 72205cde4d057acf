import { readFileSync } from 'node:fs';

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
