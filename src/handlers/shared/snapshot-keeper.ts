import { Logger } from '@nestjs/common';
import type { SnapshotStore } from '../../adapters/snapshots/snapshot-store.port.js';
import type { SnapshotSupport } from '../../domain/shared/decider.js';
import type { Clock } from './clock.js';

/** Where snapshot trouble is reported; it is never thrown at a command. */
export interface SnapshotLog {
  warn(message: string): void;
}

export interface RestoredSnapshot<S> {
  revision: number;
  state: S;
}

interface WriteJob {
  streamId: string;
  revision: number;
  state: unknown;
  support: SnapshotSupport<unknown>;
}

/**
 * The executor's side of snapshots: restoring one when a stream is loaded cold, and writing them in
 * the background. Everything here may fail without consequence but a slower load: a read error, an
 * unreadable or other-version snapshot means "fold from 0", a write error is logged. Writes run one
 * at a time per stream; a write asked for while one runs replaces any still waiting, so the newest
 * state is what ends up stored.
 */
export class SnapshotKeeper {
  private readonly writers = new Map<string, { running: Promise<void>; next?: WriteJob }>();

  constructor(
    private readonly store: SnapshotStore,
    private readonly clock: Clock,
    private readonly log: SnapshotLog = new Logger('Snapshots'),
  ) {}

  /** The stream's snapshot as state, or null when there is none usable (the reason is logged). */
  async restore<S>(streamId: string, support: SnapshotSupport<S>): Promise<RestoredSnapshot<S> | null> {
    let stored;
    try {
      stored = await this.store.read(streamId);
    } catch (error) {
      this.log.warn(`Reading ${streamId}'s snapshot failed, folding the stream instead: ${String(error)}`);
      return null;
    }
    // Another version is expected after an upgrade: the next write replaces it.
    if (!stored || stored.version !== support.version) return null;
    try {
      return { revision: stored.revision, state: support.fromSnapshot(JSON.parse(stored.data)) };
    } catch (error) {
      this.log.warn(`${streamId}'s snapshot at revision ${stored.revision} is unreadable, folding the stream instead: ${String(error)}`);
      return null;
    }
  }

  /** Reports a snapshot that the stream does not back (no event at its revision). */
  discard(streamId: string, revision: number): void {
    this.log.warn(`${streamId}'s snapshot claims revision ${revision}, which the stream does not have; folding the stream instead`);
  }

  /** Writes the state as the stream's snapshot at revision, after the current task, without being awaited. */
  writeLater<S>(streamId: string, revision: number, state: S, support: SnapshotSupport<S>): void {
    const job: WriteJob = { streamId, revision, state, support: support as SnapshotSupport<unknown> };
    const writer = this.writers.get(streamId);
    if (writer) {
      writer.next = job;
      return;
    }
    const entry: { running: Promise<void>; next?: WriteJob } = { running: Promise.resolve() };
    this.writers.set(streamId, entry);
    entry.running = this.drain(job, entry);
  }

  /** Resolves once no write is running or waiting (tests, benchmarks, shutdown). */
  async settled(): Promise<void> {
    while (this.writers.size > 0) await Promise.allSettled([...this.writers.values()].map((w) => w.running));
  }

  private async drain(first: WriteJob, entry: { next?: WriteJob }): Promise<void> {
    try {
      let job: WriteJob | undefined = first;
      while (job) {
        // Let the command that asked for it answer first: serialising a big state takes a while.
        await new Promise((resolve) => setImmediate(resolve));
        await this.write(job);
        job = entry.next;
        entry.next = undefined;
      }
    } finally {
      this.writers.delete(first.streamId);
    }
  }

  private async write(job: WriteJob): Promise<void> {
    try {
      const data = JSON.stringify(job.support.toSnapshot(job.state));
      await this.store.write({ streamId: job.streamId, revision: job.revision, version: job.support.version, data, writtenAt: this.clock.now() });
    } catch (error) {
      this.log.warn(`Writing ${job.streamId}'s snapshot at revision ${job.revision} failed (the next load folds more events): ${String(error)}`);
    }
  }
}
