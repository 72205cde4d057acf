import { join } from 'node:path';
import { SqliteDatabase } from '../../src/adapters/sql/sqlite-database.js';
import { SQLITE_READ_MODELS_FILE } from '../../src/app/storage.js';
import { SINGLETON_CONSUMERS_LEASE } from '../../src/handlers/lease/lease.module.js';
import { TEST_REDIS_URL, waitFor } from './redis.js';
import { ServiceClient } from './service-client.js';
import { ServiceHarness, buildService, type ServiceBuild, type ServiceProcess } from './service-process.js';

export interface LeaseRow {
  holder: string;
  generation: number;
  expires_at: number;
}

/**
 * The service run as `node dist/src/main.js` under node:cluster (API_PROCESSES, BACKGROUND_PROCESS) on
 * the simulator, with a demo client and a look at the singleton consumers' lease in its read-model
 * file. The lease lasts an hour, so a takeover can only come from seeing that its holder is gone.
 */
export class ClusteredService {
  private constructor(
    private readonly build: ServiceBuild,
    private readonly harness: ServiceHarness,
    readonly service: ServiceProcess,
    private readonly leases: SqliteDatabase,
    readonly client: ServiceClient,
  ) {}

  static async start(env: Record<string, string>, label: string): Promise<ClusteredService> {
    const build = await buildService();
    const harness = new ServiceHarness({
      build,
      redisUrl: TEST_REDIS_URL,
      env: { CLUSTER_BACKEND: 'simulator', SIM_PERSIST: 'false', SIM_STEP_MS: '10', LEASE_TTL_SECONDS: '3600', LEASE_RENEW_INTERVAL_SECONDS: '0.2', ...env },
    });
    const service = await harness.start({}, label);
    const leases = new SqliteDatabase({ path: join(harness.dataDir, SQLITE_READ_MODELS_FILE) });
    return new ClusteredService(build, harness, service, leases, await new ServiceClient(service.baseUrl).login());
  }

  async lease(): Promise<LeaseRow> {
    const [row] = await this.leases.query<LeaseRow>('SELECT holder, generation, expires_at FROM leases WHERE name = ?', [SINGLETON_CONSUMERS_LEASE]);
    return row!;
  }

  /** Waits for the lease to name a holder other than `before`'s. */
  nextHolder(before: LeaseRow, timeoutMs = 60_000): Promise<LeaseRow> {
    return waitFor(async () => {
      const row = await this.lease();
      return row.holder !== before.holder ? row : undefined;
    }, timeoutMs, 'another lease holder');
  }

  /** The pid in a holder's name (`<host>/<pid>/<nonce>`). */
  holderPid(row: LeaseRow): number {
    return Number(row.holder.split('/')[1]);
  }

  async close(): Promise<void> {
    await this.leases.close();
    await this.harness.cleanup();
    this.build.remove();
  }
}
