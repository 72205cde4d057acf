import type { AppendOutcome, AppendRequest } from './append-plan.js';
import { toAppendResult } from './append-plan.js';
import { EventStoreClosedError } from './event-store-closed.error.js';
import type { EventStoreMetrics } from './event-store-metrics.js';
import type { AppendResult } from './event-store.port.js';

interface Pending {
  request: AppendRequest;
  startedAt: number;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** Commits a group in one transaction; returns one outcome per request, in order. */
export type CommitGroup = (requests: AppendRequest[]) => Promise<AppendOutcome[]>;

export interface GroupCommitQueueOptions {
  /** Most events one commit carries; a request larger than this still goes alone. */
  maxGroupEvents?: number;
  metrics?: EventStoreMetrics;
  /** Called after a commit that stored at least one event. */
  onCommitted?: () => void;
}

/**
 * Group commit: durable commits cost an fsync each, so concurrent appends are queued and a single
 * writer commits everything queued in one transaction, settling each caller with its own outcome.
 * If a whole group fails (an unexpected database error), each request is retried alone so one bad
 * request cannot fail its neighbours.
 */
export class GroupCommitQueue {
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private closed = false;
  private readonly maxGroupEvents: number;

  constructor(
    private readonly commitGroup: CommitGroup,
    private readonly options: GroupCommitQueueOptions = {},
  ) {
    this.maxGroupEvents = options.maxGroupEvents ?? 10_000;
  }

  enqueue(request: AppendRequest): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ request, startedAt: performance.now(), resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Refuses new appends and waits for queued ones to settle. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // Let callers woken by the previous commit queue their next append first, so it joins this group.
        await new Promise<void>((resolve) => setImmediate(resolve));
        await this.commit(this.takeGroup());
      }
    } finally {
      this.draining = undefined;
    }
  }

  private takeGroup(): Pending[] {
    let events = 0;
    let count = 0;
    while (count < this.queue.length) {
      const size = this.queue[count]!.request.events.length;
      if (count > 0 && events + size > this.maxGroupEvents) break;
      events += size;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async commit(group: Pending[]): Promise<void> {
    const started = performance.now();
    let outcomes: AppendOutcome[];
    try {
      outcomes = await this.commitGroup(group.map((p) => p.request));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      for (const pending of group) await this.commit([pending]);
      return;
    }
    const finished = performance.now();
    // Wake subscriptions before the callers, who may wait for a projection to pass their position.
    if (outcomes.some((o) => o.ok && o.inserted)) this.options.onCommitted?.();
    let stored = 0;
    outcomes.forEach((outcome, i) => {
      const pending = group[i]!;
      if (!outcome.ok) return pending.reject(outcome.error);
      const result = toAppendResult(outcome);
      if (outcome.inserted) {
        stored += pending.request.events.length;
        this.options.metrics?.onAppend?.(pending.request.events.length, (finished - pending.startedAt) / 1000);
      }
      pending.resolve(result);
    });
    this.options.metrics?.onGroupCommit?.(group.length, stored, (finished - started) / 1000);
  }
}
