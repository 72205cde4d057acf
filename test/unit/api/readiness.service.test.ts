import type { EventStore } from '../../../src/adapters/event-store/event-store.port.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import { ReadinessService } from '../../../src/api/health/readiness.service.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { ProjectionRunner } from '../../../src/projections/projection-runner.js';

const config = loadConfig({ READY_MAX_PROJECTION_LAG: '100' });
const healthyDb = { query: async () => [{ one: 1 }] } as unknown as SqlDatabase;
const runner = (lag: Record<string, number>, error?: unknown) => ({ lag: async () => lag, error }) as unknown as ProjectionRunner;
const store = (ping: () => Promise<void>) => ({ ping }) as unknown as EventStore;
const redisUp = { ping: async () => undefined };

describe('ReadinessService', () => {
  it('given an event store that refuses connections, when checked, then not ready with the reason', async () => {
    const service = new ReadinessService(store(async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'))), healthyDb, runner({}), config, redisUp);
    const result = await service.check();
    expect(result.ready).toBe(false);
    expect(result.checks.eventStore).toEqual({ ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:5432' });
  });

  it('given a read-model database that hangs, when checked, then not ready once the probe times out', async () => {
    const hanging = { query: () => new Promise(() => undefined) } as unknown as SqlDatabase;
    const service = new ReadinessService(store(async () => undefined), hanging, runner({ servers: 0 }), config, redisUp);
    const result = await service.check();
    expect(result.ready).toBe(false);
    expect(result.checks.readModelDb?.detail).toMatch(/no answer within/);
  });

  it('given the job queue cannot reach Redis, when checked, then not ready naming it', async () => {
    const redisDown = { ping: async () => Promise.reject(new Error('Redis at 127.0.0.1:6379 does not answer')) };
    const service = new ReadinessService(store(async () => undefined), healthyDb, runner({ servers: 0 }), config, redisDown);
    const result = await service.check();
    expect(result.ready).toBe(false);
    expect(result.checks.jobQueue).toEqual({ ok: false, detail: 'Redis at 127.0.0.1:6379 does not answer' });
  });

  it('given a projection within the lag limit, when checked, then ready', async () => {
    const service = new ReadinessService(store(async () => undefined), healthyDb, runner({ servers: 100, audit: 0 }), config, redisUp);
    expect((await service.check()).ready).toBe(true);
  });

  it('given a projection past the lag limit, when checked, then not ready naming it', async () => {
    const service = new ReadinessService(store(async () => undefined), healthyDb, runner({ servers: 101, audit: 0 }), config, redisUp);
    const result = await service.check();
    expect(result.ready).toBe(false);
    expect(result.checks.projections?.detail).toBe('servers is 101 events behind (limit 100)');
  });

  it('given a projection whose batches fail, when checked, then not ready with the error', async () => {
    const service = new ReadinessService(store(async () => undefined), healthyDb, runner({ servers: 0 }, new Error('disk full')), config, redisUp);
    const result = await service.check();
    expect(result.checks.projections).toEqual({ ok: false, detail: 'projection failing: Error: disk full' });
  });
});
