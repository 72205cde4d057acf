import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { BullMqJobQueue } from '../adapters/queue/bullmq-job-queue.js';
import type { JobQueue } from '../adapters/queue/job-queue.port.js';
import { resolveRedis, type ResolvedRedis } from '../adapters/queue/private-redis.js';
import type { AppConfig } from '../config/config.schema.js';
import { openSimulation, type Simulation } from './simulation.js';
import { APP_CONFIG, CLUSTER, HYPERVISOR, JOB_QUEUE, REDIS, SIMULATION } from './tokens.js';

/**
 * What the sagas drive: the job queue on Redis (REDIS_URL, or a private redis-server for the embedded
 * default) and the infrastructure adapters (the simulation until the real adapters land).
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => resolveRedis({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR }),
    },
    {
      provide: JOB_QUEUE,
      inject: [APP_CONFIG, REDIS],
      useFactory: (config: AppConfig, redis: ResolvedRedis): JobQueue =>
        new BullMqJobQueue({
          connection: { url: redis.url },
          prefix: config.QUEUE_PREFIX,
          defaultAttempts: config.JOB_ATTEMPTS,
          backoff: { baseMs: config.JOB_BACKOFF_BASE_MS, capMs: config.JOB_BACKOFF_CAP_MS },
          stalled: { lockDurationMs: config.JOB_LOCK_DURATION_MS, stalledIntervalMs: config.JOB_STALLED_INTERVAL_MS },
        }),
    },
    { provide: SIMULATION, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openSimulation(config) },
    { provide: CLUSTER, inject: [SIMULATION], useFactory: (sim: Simulation) => sim.cluster },
    { provide: HYPERVISOR, inject: [SIMULATION], useFactory: (sim: Simulation) => sim.hypervisor },
  ],
  exports: [REDIS, JOB_QUEUE, SIMULATION, CLUSTER, HYPERVISOR],
})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(REDIS) private readonly redis: ResolvedRedis,
    @Inject(SIMULATION) private readonly simulation: Simulation,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close({ force: true });
    await this.redis.stop();
    await this.simulation.close();
  }
}
