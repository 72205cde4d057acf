import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { BullMqJobQueue } from '../adapters/queue/bullmq-job-queue.js';
import type { JobQueue } from '../adapters/queue/job-queue.port.js';
import { resolveRedis, type ResolvedRedis } from '../adapters/queue/private-redis.js';
import type { AppConfig } from '../config/config.schema.js';
import { openInfrastructure, type Infrastructure } from './infrastructure.js';
import { APP_CONFIG, CLUSTER, HYPERVISOR, INFRASTRUCTURE, JOB_QUEUE, REDIS } from './tokens.js';

/**
 * What the sagas drive: the job queue on Redis (REDIS_URL, or a private redis-server for the embedded
 * default) and the infrastructure adapters CLUSTER_BACKEND names (src/app/infrastructure.ts).
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
    { provide: INFRASTRUCTURE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openInfrastructure(config) },
    { provide: CLUSTER, inject: [INFRASTRUCTURE], useFactory: (infrastructure: Infrastructure) => infrastructure.cluster },
    { provide: HYPERVISOR, inject: [INFRASTRUCTURE], useFactory: (infrastructure: Infrastructure) => infrastructure.hypervisor },
  ],
  exports: [REDIS, JOB_QUEUE, INFRASTRUCTURE, CLUSTER, HYPERVISOR],
})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(REDIS) private readonly redis: ResolvedRedis,
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close({ force: true });
    await this.redis.stop();
    await this.infrastructure.close();
  }
}
