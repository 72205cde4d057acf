import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** A holder id unique to one lease keeper: `host/pid/random`, so a log or the leases row says who holds it. */
export function newLeaseHolder(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

/**
 * Whether the holder is a process of this host that no longer exists (it was killed without
 * releasing): its lease need not run out before a successor on the same host takes it, which keeps a
 * restart after a crash as quick as before leases. Another host's holder, or a live or unparseable
 * one, is never called gone: only expiry frees those.
 */
export function isGoneOnThisHost(holder: string): boolean {
  const [host, pidText] = holder.split('/');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
