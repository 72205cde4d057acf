import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Ends `child` when this process ends, however it ends (even SIGKILL, which runs no handler): a tiny
 * shell holds a pipe from this process and signals the child when the pipe closes.
 */
export function endWithParent(child: ChildProcess, signal: 'TERM' | 'KILL'): void {
  if (child.pid === undefined) return;
  const watchdog = spawn('sh', ['-c', `read _ignored; kill -${signal} "$1" 2>/dev/null`, 'vp-watchdog', String(child.pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.once('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.once('exit', () => watchdog.kill('SIGKILL'));
}

/** A loopback port nobody listens on right now (it can still be taken before the caller binds it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
