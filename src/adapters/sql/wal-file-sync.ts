import { close, fdatasync, open } from 'node:fs';

/** The file operations WalFileSync needs, each run in libuv's thread pool. */
export interface FileFlusher {
  open(path: string): Promise<number>;
  datasync(fd: number): Promise<void>;
  close(fd: number): Promise<void>;
}

const promised = <T>(start: (done: (error: Error | null, value: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));

export const nodeFileFlusher: FileFlusher = {
  open: (path) => promised<number>((done) => open(path, 'r', done)),
  datasync: (fd) => promised<void>((done) => fdatasync(fd, (error) => done(error, undefined))),
  close: (fd) => promised<void>((done) => close(fd, (error) => done(error, undefined))),
};

/**
 * Makes a SQLite WAL durable from libuv's thread pool instead of inside COMMIT. The connection runs
 * synchronous=NORMAL, so a commit only writes its frames to the WAL (the OS has them: a crash of this
 * process loses nothing) and returns; whoever must not answer before the commit survives power loss
 * awaits `sync()`, an fdatasync of the WAL file. The WAL is append-only and recovery keeps its valid
 * prefix, so one fdatasync makes every commit written before it durable: calls that arrive while one
 * is running share the next one. The event loop keeps serving requests while the disk flushes, and
 * the commits made meanwhile ride on the following flush (group commit across the fsync).
 */
export class WalFileSync {
  private fd: Promise<number> | undefined;
  private running: Promise<void> | undefined;
  private following: Promise<void> | undefined;
  private finalFlush: Promise<void> | undefined;

  constructor(
    private readonly walPath: string,
    private readonly files: FileFlusher = nodeFileFlusher,
  ) {}

  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void> {
    if (this.finalFlush) return this.finalFlush;
    if (!this.running) {
      this.running = this.flush().finally(() => (this.running = undefined));
      return this.running;
    }
    // The flush in progress may have started before the caller's commit: wait for the one after it.
    this.following ??= this.running.then(
      () => this.next(),
      () => this.next(),
    );
    return this.following;
  }

  /**
   * Call once no more commits can start: flushes one last time (for commits whose callers have not
   * asked yet; they then share it) and closes the file.
   */
  async close(): Promise<void> {
    this.finalFlush ??= Promise.allSettled([this.running, this.following]).then(() => this.flush());
    try {
      await this.finalFlush;
    } finally {
      const fd = await this.fd?.catch(() => undefined);
      this.fd = undefined;
      if (fd !== undefined) await this.files.close(fd).catch(() => undefined);
    }
  }

  private next(): Promise<void> {
    this.following = undefined;
    // Not through sync() once closing: the final flush waits for this one.
    return this.finalFlush ? this.flush() : this.sync();
  }

  private async flush(): Promise<void> {
    // Opened on first use: SQLite creates the WAL with the connection's first write. fsync acts on the
    // file, not the descriptor, so a read-only descriptor of our own flushes SQLite's writes too.
    this.fd ??= this.files.open(this.walPath);
    let fd: number;
    try {
      fd = await this.fd;
    } catch (error) {
      this.fd = undefined;
      throw error;
    }
    await this.files.datasync(fd);
  }
}
