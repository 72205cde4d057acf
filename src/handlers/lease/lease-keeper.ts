import { LeaseLostError } from '../../adapters/lease/lease-lost.error.js';
import type { SqlLease } from '../../adapters/lease/sql-lease.js';
import type { SqlExecutor } from '../../adapters/sql/sql-database.js';
import type { SingletonConsumer } from './singleton-consumer.js';

export interface LeaseKeeperLog {
  log(message: string): void;
  warn(message: string): void;
}

export interface LeaseKeeperOptions {
  lease: SqlLease;
  /** How often the holder renews and a non-holder tries to take the lease; well under its TTL. */
  renewIntervalMs: number;
  log: LeaseKeeperLog;
}

/**
 * Runs the registered singleton consumers while this process holds the lease. Every tick the holder
 * renews it and anyone else tries to take it. A renewal that fails (the database did not answer, or
 * the row names another holder) stops the consumers at once; so does a fence that finds the lease
 * gone. Stopping waits for a consumer's batch in flight, whose commit the fence guards: a process
 * that lost the lease while it was paused cannot commit progress after another took it over.
 * Ticks and stops run one at a time.
 */
export class LeaseKeeper {
  private readonly consumers: SingletonConsumer[] = [];
  private running: SingletonConsumer[] = [];
  private active = false;
  private timer: NodeJS.Timeout | undefined;
  private turn: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: LeaseKeeperOptions) {}

  /** Adds a consumer; consumers start in registration order and stop in reverse. */
  register(consumer: SingletonConsumer): void {
    this.consumers.push(consumer);
  }

  /** Whether this process runs the consumers now. */
  get holding(): boolean {
    return this.active;
  }

  get holder(): string {
    return this.options.lease.holder;
  }

  /** For the consumers' checkpoint transactions: throws LeaseLostError (and stops the consumers) when the lease is gone. */
  readonly fence = async (tx: SqlExecutor): Promise<void> => {
    try {
      await this.options.lease.fence(tx);
    } catch (error) {
      // Not awaited: the caller is a consumer's batch, which stopping waits for.
      if (error instanceof LeaseLostError) void this.serially(() => this.stopConsumers('the lease was taken by another process'));
      throw error;
    }
  };

  /** The first attempt (awaited, so a lone process runs its consumers before it serves), then one every renewIntervalMs. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.renewIntervalMs);
    this.timer.unref();
  }

  /** Renews or tries to take the lease, starting or stopping the consumers to match. */
  tick(): Promise<void> {
    return this.serially(async () => {
      if (this.stopped) return;
      const { lease } = this.options;
      if (lease.grant) {
        const renewed = await lease.renew().catch((error: unknown) => {
          this.options.log.warn(`renewing the lease ${lease.name} failed: ${String(error)}`);
          return false;
        });
        if (!renewed) await this.stopConsumers('the lease could not be renewed');
        else if (!this.active) await this.startConsumers();
        return;
      }
      await this.stopConsumers('the lease is not held');
      const acquired = await lease.acquire().catch((error: unknown) => {
        this.options.log.warn(`taking the lease ${lease.name} failed: ${String(error)}`);
        return false;
      });
      if (acquired) await this.startConsumers();
    });
  }

  /** Stops the consumers and releases the lease, so a successor takes over on its next attempt. */
  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.serially(async () => {
      this.stopped = true;
      await this.stopConsumers('this process is stopping');
      await this.options.lease.release().catch((error: unknown) => this.options.log.warn(`releasing the lease failed: ${String(error)}`));
    });
  }

  private async startConsumers(): Promise<void> {
    const { lease, log } = this.options;
    log.log(`${lease.holder} holds the lease ${lease.name} (generation ${lease.grant?.generation}); starting ${this.consumers.map((c) => c.name).join(', ')}`);
    for (const consumer of this.consumers) {
      try {
        await consumer.start();
        this.running.push(consumer);
      } catch (error) {
        // Half started is no state to hold the lease in: stop, let it go, and try again on a later tick.
        log.warn(`starting ${consumer.name} failed: ${String(error)}`);
        await this.stopConsumers('a consumer failed to start');
        await lease.release().catch(() => undefined);
        return;
      }
    }
    this.active = true;
  }

  private async stopConsumers(reason: string): Promise<void> {
    this.active = false;
    if (this.running.length === 0) return;
    this.options.log.warn(`stopping ${this.running.map((c) => c.name).join(', ')}: ${reason}`);
    const running = this.running;
    this.running = [];
    for (const consumer of [...running].reverse()) {
      await consumer.stop().catch((error: unknown) => this.options.log.warn(`stopping ${consumer.name} failed: ${String(error)}`));
    }
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn);
    this.turn = run.catch(() => undefined);
    return run;
  }
}
