import type { SqlExecutor } from '../../adapters/sql/sql-database.js';
import type { VirtualMachineCommand } from '../../domain/virtual-machine/virtual-machine.commands.js';
import { tasksStartedBy } from '../../projections/servers/server-sets.queries.js';
import { SYSTEM_ACTOR, type CommandMetadata } from '../shared/command-metadata.js';

export interface TaskDeadlineSweeperOptions {
  /** The read models (servers.task_started_at). */
  db: SqlExecutor;
  /** How long a task may run before it fails with a timeout and is compensated. */
  deadlineMs: number;
  execute(command: VirtualMachineCommand, meta: CommandMetadata): Promise<unknown>;
  now?(): number;
  /** Default: a tenth of the deadline, between 50 ms and 1 s. */
  intervalMs?: number;
  onError?(error: unknown): void;
}

/**
 * Tasks expired per sweep; more wait for the next. Not looped: until the read model has a batch's
 * timeouts, the same tasks would come back.
 */
const BATCH = 500;

/**
 * Fails the tasks that outran their deadline: every interval, the servers whose running task started
 * more than the deadline ago (an indexed read of the few with a task) each get ExpireTask. One look
 * for all tasks replaces a delayed queue job per task, which cost each command two more Redis
 * scripts, a worker wake-up and a fifth of its CPU. Restarts, a lost Redis and a rebuilt read model
 * need nothing: the deadlines are derived from the events. Expiring is idempotent in the domain (an
 * ended task, or a compensation the timeout started, is left alone), so a sweep that sees a task
 * again before the read model has its timeout changes nothing. A deadline fires up to one interval
 * late, plus the read model's lag.
 */
export class TaskDeadlineSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TaskDeadlineSweeperOptions) {
    this.intervalMs = options.intervalMs ?? Math.min(1_000, Math.max(50, options.deadlineMs / 10));
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // A sweep still running (a slow store) is not doubled.
      this.running ??= this.sweep()
        .then(() => undefined, (error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Resolves once the sweep in hand, if any, has sent its commands. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Expires the tasks past their deadline (up to a batch; the next sweep takes the rest); resolves to how many. */
  async sweep(): Promise<number> {
    const { db, deadlineMs, execute } = this.options;
    const due = await tasksStartedBy(db, new Date(this.now() - deadlineMs).toISOString(), BATCH);
    let expired = 0;
    for (const task of due) {
      // The timeout belongs to the task's own request, as its instance action shows.
      const meta: CommandMetadata = { requestId: task.requestId, actor: SYSTEM_ACTOR };
      try {
        await execute({ type: 'ExpireTask', data: { vmId: task.serverId, taskId: task.taskId, deadlineMs } }, meta);
        expired += 1;
      } catch (error) {
        // One server's failure (a conflict, the store briefly away) must not hold up the others.
        this.options.onError?.(error);
      }
    }
    return expired;
  }
}
