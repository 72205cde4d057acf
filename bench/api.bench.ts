import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CommandBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { v7 as uuidv7 } from 'uuid';
import type { EventStore } from '../src/adapters/event-store/event-store.port.js';
import { endWithParent, freeLoopbackPort } from '../src/adapters/process/child-processes.js';
import { AppModule } from '../src/app/app.module.js';
import { EVENT_STORE } from '../src/app/tokens.js';
import type { AppConfig } from '../src/config/config.schema.js';
import { CreateServerCommand } from '../src/handlers/virtual-machine/create-server.command.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { httpLoad, type HttpLoadResult } from './support/http-load.js';
import { fmt, pool } from './support/measure.js';
import { BENCH_REDIS_URL, benchRedisPrefix, deleteRedisKeys } from './support/redis.js';
import { freshConfig, type StoreKind } from './support/stores.js';
import { processTreeCpuMs, threadCpuMs } from './support/thread-cpu.js';

export type LatencyRun = HttpLoadResult;

export interface ApiBenchResult {
  workers: boolean;
  /** POST /servers from `concurrency` clients at once. */
  creates: LatencyRun;
  /** The service's main thread CPU (user + system) per timed create, ms; null without /proc. */
  cpuMsPerCreate: number | null;
  /**
   * The service's CPU per timed create over all its threads (the main thread, V8's GC and compiler
   * threads, libuv's pool), ms: this process's CPU less its HTTP clients' thread.
   */
  allThreadsCpuMsPerCreate: number | null;
  /** Servers in the read model when the detail pages were read. */
  servers: number;
  /** GET /servers/detail?limit=1000, one client after another. */
  detail: LatencyRun;
}

const IMAGE = 'docker://quay.io/containerdisks/cirros:0.6';
/**
 * Creates sent before the timed ones (they count towards the read model's servers). A service that
 * has run for a while has its hot paths optimised: after 200 creates V8 still ran about 350 TurboFan
 * compilations during the next 2,000 (`--trace-opt`), on its compiler threads about 0.3 ms of CPU
 * per create that a warm service does not pay.
 */
const WARM_UP_CREATES = 2_000;

/**
 * The API over real HTTP (the service on a loopback port, keep-alive clients in a worker thread so
 * they do not share the service's event loop), on its own store and Redis prefix, sagas running as in
 * production so the creates compete with the work they cause.
 * 1. `creates` POST /servers with `concurrency` clients, after an untimed warm-up: accepted per second and latency.
 * 2. The read model is filled up to `servers` (through the command bus: the same events, faster than
 *    HTTP), then GET /servers/detail?limit=1000 is timed `detailReads` times.
 */
export interface ApiBenchOptions {
  creates: number;
  concurrency: number;
  servers: number;
  detailReads: number;
  /** false: an API-only process (no saga workers here; jobs wait in Redis for worker processes). */
  workers: boolean;
}

export async function benchApi(kind: StoreKind, options: ApiBenchOptions): Promise<ApiBenchResult> {
  const base = freshConfig(kind);
  const prefix = benchRedisPrefix();
  const perNode = options.servers + options.creates;
  const config: AppConfig = {
    ...base.config,
    LOG_LEVEL: 'silent',
    REDIS_URL: BENCH_REDIS_URL,
    QUEUE_PREFIX: prefix,
    SIM_PERSIST: false,
    SIM_NODES: `node-1:${perNode}:${perNode * 1024},node-2:${perNode}:${perNode * 1024}`,
    ...(options.workers ? {} : { WORKER_CONCURRENCY_CLUSTER: 0, WORKER_CONCURRENCY_HYPERVISOR: 0, WORKER_CONCURRENCY_FABRIC: 0 }),
  };
  let app: NestFastifyApplication | undefined;
  try {
    app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), { logger: false, abortOnError: false });
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const { projectId, headers, createLoad } = await prepareCreates(url, options.concurrency);
    // Not timed: the first requests pay for compiling the hot paths, which is start-up, not throughput.
    const warmUp = Math.min(WARM_UP_CREATES, options.creates);
    await createLoad('warm-up', warmUp);
    const cpuBefore = threadCpuMs();
    const processBefore = process.cpuUsage();
    const creates = await createLoad('bench', options.creates);
    const processCpu = process.cpuUsage(processBefore);
    const cpuAfter = threadCpuMs();
    const cpuMsPerCreate = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / options.creates;
    const allThreadsCpuMsPerCreate =
      creates.clientCpuMsPerRequest === null ? null : (processCpu.user + processCpu.system) / 1000 / options.creates - creates.clientCpuMsPerRequest;

    await seed(app, projectId, options.servers - options.creates - warmUp);
    const runner = app.get(ProjectionRunner);
    await runner.waitForPosition(await app.get<EventStore>(EVENT_STORE).headPosition(), 600_000);

    const detail = await httpLoad({
      url: `${url}/compute/v2.1/servers/detail?limit=1000`,
      method: 'GET',
      headers,
      requests: options.detailReads,
      concurrency: 1,
      expectStatus: 200,
      expectItems: { key: 'servers', count: 1000 },
    });
    return { workers: options.workers, creates, cpuMsPerCreate, allThreadsCpuMsPerCreate, servers: options.servers, detail };
  } finally {
    await app?.close();
    await deleteRedisKeys(prefix);
    await base.cleanup();
  }
}

export interface ApiProcessesBenchResult {
  processes: number;
  /** BACKGROUND_PROCESS: the projections, process managers and job workers in a process of their own. */
  background: boolean;
  creates: LatencyRun;
  /** CPU (user + system) of all the service's processes per timed create, ms (less noisy than the rate on a shared machine); null without /proc. */
  cpuMsPerCreate: number | null;
  /** The 1-minute load average right after the timed creates (the bench's own clients included). */
  loadAverage: number;
}

/**
 * POST /servers against the service as it runs in production: `node dist/src/main.js` with
 * API_PROCESSES=`processes` (node:cluster, one port), on its own store and Redis prefix, no job
 * workers (as benchApi), so N=1 and N=2 compare the same child-process set-up.
 */
export async function benchApiProcesses(kind: StoreKind, options: { creates: number; concurrency: number; processes: number; background: boolean }): Promise<ApiProcessesBenchResult> {
  const base = freshConfig(kind);
  const prefix = benchRedisPrefix();
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const c = base.config;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'silent',
    API_PROCESSES: String(options.processes),
    BACKGROUND_PROCESS: String(options.background),
    EVENT_STORE: c.EVENT_STORE,
    DATA_DIR: c.DATA_DIR,
    DATABASE_SCHEMA: c.DATABASE_SCHEMA,
    ...(c.DATABASE_URL ? { DATABASE_URL: c.DATABASE_URL } : {}),
    REDIS_URL: BENCH_REDIS_URL,
    QUEUE_PREFIX: prefix,
    SIM_PERSIST: 'false',
    WORKER_CONCURRENCY_CLUSTER: '0',
    WORKER_CONCURRENCY_HYPERVISOR: '0',
    WORKER_CONCURRENCY_FABRIC: '0',
  };
  // dist/bench/api.bench.js → dist/src/main.js, compiled with the bench (scripts/bench.sh).
  // As scripts/start.sh runs it.
  const child = spawn(process.execPath, ['--enable-source-maps', fileURLToPath(new URL('../src/main.js', import.meta.url))], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  endWithParent(child, 'TERM');
  try {
    await untilReady(url, child, 180_000);
    const { createLoad } = await prepareCreates(url, options.concurrency);
    // Every process compiles its hot paths on its first requests: warm all of them up, untimed.
    await createLoad('warm-up', Math.min(WARM_UP_CREATES, options.creates) * (options.processes + (options.background ? 1 : 0)));
    const cpuBefore = processTreeCpuMs(child.pid!);
    const creates = await createLoad('bench', options.creates);
    const cpuAfter = processTreeCpuMs(child.pid!);
    const cpuMsPerCreate = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / options.creates;
    return { processes: options.processes, background: options.background, creates, cpuMsPerCreate, loadAverage: loadavg()[0]! };
  } finally {
    await stopChild(child);
    await deleteRedisKeys(prefix);
    await base.cleanup();
  }
}

async function untilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode} before it was ready`);
    const status = await fetch(`${url}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`the service was not ready within ${timeoutMs} ms (last status ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

export function apiProcessesRows(kind: StoreKind, r: ApiProcessesBenchResult): string[] {
  const ms = (n: number) => n.toFixed(1);
  return [
    `| ${kind} | API: POST /servers, ${r.creates.concurrency} clients, API_PROCESSES=${r.processes}${r.background ? ' + BACKGROUND_PROCESS' : ''} (child process, no job workers) | ${fmt(r.creates.perSecond)} accepted/s; p50 ${ms(r.creates.p50)} ms, p99 ${ms(r.creates.p99)} ms${r.cpuMsPerCreate === null ? '' : `; ${r.cpuMsPerCreate.toFixed(2)} ms CPU per create, all its processes`}${clientCpu(r.creates)}; load average ${r.loadAverage.toFixed(2)} | ${fmt(r.creates.requests)} creates |`,
  ];
}

/** Logs in as admin, lifts the project's quota, and gives the POST /servers load the runs time. */
async function prepareCreates(url: string, concurrency: number) {
  const { token, projectId } = await login(url);
  const headers = { 'x-auth-token': token, 'content-type': 'application/json' };
  await expectOk(
    await fetch(`${url}/compute/v2.1/os-quota-sets/${projectId}`, { method: 'PUT', headers, body: JSON.stringify({ quota_set: { instances: -1, cores: -1, ram: -1 } }) }),
  );
  const createLoad = (name: string, requests: number) =>
    httpLoad({
      url: `${url}/compute/v2.1/servers`,
      method: 'POST',
      headers,
      body: JSON.stringify({ server: { name: `${name}-{{i}}`, flavorRef: '1', imageRef: IMAGE, networks: 'none' } }),
      requests,
      concurrency,
      expectStatus: 202,
    });
  return { projectId, headers, createLoad };
}

async function login(url: string): Promise<{ token: string; projectId: string }> {
  const res = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: process.env.ADMIN_PASSWORD ?? 'admin-secret' } } },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    }),
  });
  await expectStatus(res, 201);
  const body = (await res.json()) as { token: { project: { id: string } } };
  return { token: res.headers.get('x-subject-token')!, projectId: body.token.project.id };
}

/** More servers in the read model, through the same command the API sends. */
async function seed(app: NestFastifyApplication, projectId: string, count: number): Promise<void> {
  const bus = app.get(CommandBus);
  const actor = { userId: 'bench-seed', projectId, roles: ['member'] };
  await pool(count, 64, async (i) => {
    await bus.execute(
      new CreateServerCommand(
        { vmId: uuidv7(), taskId: uuidv7(), name: `seeded-${i}`, projectId, userId: actor.userId, flavorId: '1', imageRef: IMAGE, keyName: null, metadata: {}, availabilityZone: null, userDataSha256: null },
        { requestId: `req-${uuidv7()}`, actor },
      ),
    );
  });
}

async function expectStatus(res: Response, status: number): Promise<void> {
  if (res.status !== status) throw new Error(`${res.url}: expected ${status}, got ${res.status}: ${await res.text()}`);
}

async function expectOk(res: Response): Promise<void> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status}: ${await res.text()}`);
}

function clientCpu(run: LatencyRun): string {
  return run.clientCpuMsPerRequest === null ? '' : `; clients ${run.clientCpuMsPerRequest.toFixed(2)} ms CPU per request`;
}

export function apiRows(kind: StoreKind, r: ApiBenchResult): string[] {
  const ms = (n: number) => n.toFixed(1);
  return [
    `| ${kind} | API: POST /servers, ${r.creates.concurrency} clients, ${r.workers ? 'saga workers in the same process' : 'API-only process (workers elsewhere)'} | ${fmt(r.creates.perSecond)} accepted/s; p50 ${ms(r.creates.p50)} ms, p99 ${ms(r.creates.p99)} ms${r.cpuMsPerCreate === null ? '' : `; main thread ${r.cpuMsPerCreate.toFixed(2)} ms CPU per create`}${r.allThreadsCpuMsPerCreate === null ? '' : ` (all threads ${r.allThreadsCpuMsPerCreate.toFixed(2)} ms)`}${clientCpu(r.creates)} | ${fmt(r.creates.requests)} creates |`,
    `| ${kind} | API: GET /servers/detail?limit=1000 | p50 ${ms(r.detail.p50)} ms, p99 ${ms(r.detail.p99)} ms, max ${ms(r.detail.max)} ms | ${fmt(r.servers)} servers, ${fmt(r.detail.requests)} reads |`,
  ];
}
