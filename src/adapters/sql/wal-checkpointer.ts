import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies each registered database's WAL back into its file. */
const DEFAULT_INTERVAL_MS = 500;
/** The thread ends after this long with nothing registered (tests open and close many databases). */
const IDLE_EXIT_MS = 5_000;

// Inline and plain CommonJS so it runs as it is wherever this module runs (compiled by swc, or from
// TypeScript under jest), with nothing to build. Each database gets its own connection; PASSIVE
// never waits for or blocks the service's readers and writers, and a round it cannot finish (busy,
// or a reader still on old frames) is simply done again on the next tick.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const open = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'add') {
    try {
      const db = new Database(m.path);
      db.pragma('busy_timeout = 0');
      db.pragma('synchronous = NORMAL');
      open.set(m.id, db);
    } catch (error) {
      parentPort.postMessage({ type: 'failed', id: m.id, error: String(error) });
    }
  } else if (m.type === 'remove') {
    try { open.get(m.id)?.close(); } catch {}
    open.delete(m.id);
    parentPort.postMessage({ type: 'removed', id: m.id });
  }
});
setInterval(() => {
  for (const [id, db] of open) {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      const code = error && typeof error.code === 'string' ? error.code : '';
      if (code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED') continue;
      try { db.close(); } catch {}
      open.delete(id);
      parentPort.postMessage({ type: 'failed', id, error: String(error) });
    }
  }
}, workerData.intervalMs);
`;

interface Registration {
  /** Called when the checkpointer can no longer serve the database: it must checkpoint by itself again. */
  onFailure(reason: string): void;
  removed?: () => void;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. With automatic checkpoints, the commit that
 * crosses the threshold copies the WAL into the database file and fsyncs it before it returns:
 * 100 to 250 ms with the loop blocked, every few seconds under load. Registered databases turn
 * automatic checkpoints off and this thread (one per process, shared) runs a PASSIVE checkpoint on
 * each every 500 ms over a connection of its own. If the thread fails, every database is told to
 * checkpoint by itself again, so the WAL can never grow without bound.
 */
export class WalCheckpointer {
  private static shared: WalCheckpointer | undefined;

  /** The process's checkpointer, started on first use. */
  static forProcess(): WalCheckpointer {
    WalCheckpointer.shared ??= new WalCheckpointer();
    return WalCheckpointer.shared;
  }

  private worker: Worker | undefined;
  private readonly registrations = new Map<number, Registration>();
  private nextId = 1;
  /** Removals waiting for the thread's answer. */
  private removing = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = DEFAULT_INTERVAL_MS) {}

  /** Starts checkpointing `path`; the returned function stops it, resolving once its connection is closed. */
  register(path: string, onFailure: (reason: string) => void): () => Promise<void> {
    const id = this.nextId++;
    this.registrations.set(id, { onFailure });
    clearTimeout(this.idleTimer);
    this.ensureWorker().postMessage({ type: 'add', id, path });
    return () => this.unregister(id);
  }

  private unregister(id: number): Promise<void> {
    const registration = this.registrations.get(id);
    const worker = this.worker;
    if (!registration || !worker) {
      this.registrations.delete(id);
      return Promise.resolve();
    }
    // Held while the answer is awaited: an unreferenced thread would let a stopping process exit
    // before its databases are closed.
    if (this.removing++ === 0) worker.ref();
    return new Promise<void>((resolve) => {
      registration.removed = () => {
        this.registrations.delete(id);
        if (this.removing > 0 && --this.removing === 0) worker.unref();
        if (this.registrations.size === 0) this.scheduleIdleExit();
        resolve();
      };
      worker.postMessage({ type: 'remove', id });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: this.intervalMs },
    });
    worker.on('message', (m: { type: 'removed' | 'failed'; id: number; error?: string }) => {
      const registration = this.registrations.get(m.id);
      if (m.type === 'removed') registration?.removed?.();
      else if (registration) {
        this.registrations.delete(m.id);
        registration.onFailure(m.error ?? 'the checkpointer failed');
      }
    });
    worker.on('error', (error) => this.lose(worker, String(error)));
    worker.on('exit', (code) => this.lose(worker, `the checkpointer thread exited (code ${code})`));
    // Never what keeps a process alive; after the listeners, which would otherwise ref it again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** The thread is gone: every database checkpoints by itself again, and a later registration starts a new thread. */
  private lose(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.removing = 0;
    clearTimeout(this.idleTimer);
    const registrations = [...this.registrations.values()];
    this.registrations.clear();
    for (const registration of registrations) {
      registration.onFailure(reason);
      registration.removed?.();
    }
  }

  private scheduleIdleExit(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const worker = this.worker;
      if (!worker || this.registrations.size > 0) return;
      this.worker = undefined;
      void worker.terminate();
    }, IDLE_EXIT_MS);
    this.idleTimer.unref();
  }
}
