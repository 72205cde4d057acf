import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import type { SqlDatabase } from '../../adapters/sql/sql-database.js';
import type { AppConfig } from '../../config/config.schema.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import type { JobQueue } from '../../adapters/queue/job-queue.port.js';
import { APP_CONFIG, EVENT_STORE, JOB_QUEUE, READ_MODEL_DB } from '../../app/tokens.js';

export interface CheckResult {
  ok: boolean;
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/** A probe that does not answer within this time counts as unreachable. */
const PROBE_TIMEOUT_MS = 2_000;

/** Ready means: the stores and the job queue's Redis answer, and no projection is far behind the event store's head. */
@Injectable()
export class ReadinessService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly readModels: SqlDatabase,
    private readonly projections: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_QUEUE) private readonly queue: Pick<JobQueue, 'ping'>,
  ) {}

  async check(): Promise<Readiness> {
    const [eventStore, readModelDb, jobQueue] = await Promise.all([
      probe(() => this.store.ping()),
      probe(async () => void (await this.readModels.query('SELECT 1 AS one'))),
      probe(() => this.queue.ping()),
    ]);
    const checks: Record<string, CheckResult> = { eventStore, readModelDb, jobQueue };
    if (eventStore.ok) checks.projections = await this.projectionCheck();
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  private async projectionCheck(): Promise<CheckResult> {
    const limit = this.config.READY_MAX_PROJECTION_LAG;
    const lag = await this.projections.lag();
    const behind = Object.entries(lag).filter(([, events]) => events > limit);
    if (this.projections.error) return { ok: false, detail: `projection failing: ${String(this.projections.error)}` };
    if (behind.length === 0) return { ok: true };
    return { ok: false, detail: behind.map(([name, events]) => `${name} is ${events} events behind (limit ${limit})`).join('; ') };
  }
}

async function probe(fn: () => Promise<void>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
