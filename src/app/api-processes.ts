import cluster, { type Worker } from 'node:cluster';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveTokenSecret } from '../api/auth/token-secret.js';
import { resolveRedis } from '../adapters/queue/private-redis.js';
import type { ClusterSimulator } from '../cluster-simulator/cluster-simulator.js';
import type { AppConfig } from '../config/config.schema.js';
import { startEmbeddedSimulator } from './infrastructure.js';

/** Set in each forked process: its place among the API processes, 0 first. */
export const PROCESS_INDEX_VARIABLE = 'VIRTPLANE_PROCESS_INDEX';

/** How long the primary waits for its processes to finish shutting down before it kills them. */
const STOP_TIMEOUT_MS = 30_000;
/** Pause before a process that died is started again, so a crash at start-up does not spin. */
const RESPAWN_DELAY_MS = 1_000;

interface Shared {
  /** Settings every process gets on top of the primary's environment. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * API_PROCESSES > 1 or BACKGROUND_PROCESS: this (primary) process serves nothing itself. It starts what the embedded default
 * would otherwise start once per process, forks the API processes (node:cluster: they share the
 * listening port, and the primary hands each a connection in turn), starts again any that dies, and
 * on SIGTERM/SIGINT stops them (each releases the lease if it holds it) before its own shared parts.
 * Shared: the private redis-server (no REDIS_URL), the embedded cluster simulator (reached by the
 * processes through a kubeconfig, as replicas reach a real cluster), and the token secret file.
 * The simulated fabric lives in one process's memory, so without OVN_NB_URL only the first process
 * runs job workers; the others serve the API. With BACKGROUND_PROCESS the first process is the
 * background one (PROCESS_ROLE=background: the lease and the job workers, no HTTP) and the
 * API_PROCESSES after it serve the API only (PROCESS_ROLE=api).
 */
export async function runApiProcesses(config: AppConfig, log: (line: string) => void): Promise<void> {
  const shared = await openShared(config);
  let stopping = false;
  const indexOf = new Map<Worker, number>();
  const fork = (index: number): void => {
    const workerEnv: Record<string, string> = { ...shared.env, [PROCESS_INDEX_VARIABLE]: String(index), PROCESS_ROLE: roleOf(config, index) };
    if (index > 0 && !config.OVN_NB_URL) Object.assign(workerEnv, { WORKER_CONCURRENCY_CLUSTER: '0', WORKER_CONCURRENCY_HYPERVISOR: '0', WORKER_CONCURRENCY_FABRIC: '0' });
    indexOf.set(cluster.fork(workerEnv), index);
  };
  cluster.on('exit', (worker, code, signal) => {
    const index = indexOf.get(worker);
    indexOf.delete(worker);
    if (stopping || index === undefined) return;
    log(`${describeProcess(config, index)} (pid ${worker.process.pid}) ended (${signal ?? `code ${code}`}); starting it again`);
    setTimeout(() => {
      if (!stopping) fork(index);
    }, RESPAWN_DELAY_MS).unref();
  });
  // The background process first: it holds the lease and the job workers (it is index 0, which runs
  // the workers when the fabric is simulated in one process's memory).
  const total = config.API_PROCESSES + (config.BACKGROUND_PROCESS ? 1 : 0);
  for (let i = 0; i < total; i++) fork(i);
  log(`${config.API_PROCESSES} API processes on http://${config.HOST}:${config.PORT}${config.BACKGROUND_PROCESS ? ' and a background process' : ''} (event store: ${config.EVENT_STORE})`);

  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const workers = [...indexOf.keys()];
    const exited = Promise.all(workers.map((w) => (w.isDead() ? undefined : new Promise((resolve) => w.once('exit', resolve)))));
    for (const w of workers) w.process.kill(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
    const timer = setTimeout(() => workers.forEach((w) => w.isDead() || w.process.kill('SIGKILL')), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    await shared.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** With BACKGROUND_PROCESS, index 0 is the background process and the others serve the API only. */
function roleOf(config: AppConfig, index: number): AppConfig['PROCESS_ROLE'] {
  if (!config.BACKGROUND_PROCESS) return config.PROCESS_ROLE;
  return index === 0 ? 'background' : 'api';
}

function describeProcess(config: AppConfig, index: number): string {
  return roleOf(config, index) === 'background' ? 'the background process' : `API process ${index}`;
}

async function openShared(config: AppConfig): Promise<Shared> {
  const env: Record<string, string> = {};
  const closers: Array<() => Promise<void>> = [];
  try {
    // Generated here once, so processes starting together never race to create the file.
    if (!config.TOKEN_SECRET) resolveTokenSecret(undefined, config.DATA_DIR);
    if (!config.REDIS_URL) {
      const redis = await resolveRedis({ dataDir: config.DATA_DIR });
      closers.push(() => redis.stop());
      env.REDIS_URL = redis.url;
    }
    if (config.CLUSTER_BACKEND === 'simulator') {
      const simulator: ClusterSimulator = await startEmbeddedSimulator(config);
      closers.push(() => simulator.close());
      const dir = join(config.DATA_DIR, 'simulation');
      mkdirSync(dir, { recursive: true });
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, simulator.kubeconfig(), { mode: 0o600 });
      // The simulator's launcher pods ask for the guest's memory alone (the default on 'simulator').
      Object.assign(env, { CLUSTER_BACKEND: 'kubeconfig', KUBECONFIG: kubeconfig, LAUNCHER_MEMORY_OVERHEAD_MIB: String(config.LAUNCHER_MEMORY_OVERHEAD_MIB ?? 0) });
    }
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
  return {
    env,
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}
