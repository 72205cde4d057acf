import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { endWithParent, freeLoopbackPort } from '../../src/adapters/process/child-processes.js';
import { deleteRedisKeys, testRedisPrefix } from './redis.js';

export { freeLoopbackPort };

/**
 * The service as a real child process (`node dist/src/main.js`), for tests that must kill it the
 * hard way (SIGKILL) and start it again on the same data: crash recovery, Redis restarts.
 *
 * Each test file compiles src once with swc into a build directory of its own under the project's
 * `.tmp/` (ignored by git), so parallel jest workers never write the same files and nobody's `dist/`
 * is touched. The build lives inside the project so that the compiled code finds node_modules, the
 * package's `"type": "module"` and the migrations (findProjectRoot) exactly as `dist/` does.
 */

const PROJECT_ROOT = process.cwd();
const SWC = join(PROJECT_ROOT, 'node_modules', '.bin', 'swc');
const run = promisify(execFile);

export interface ServiceBuild {
  /** The compiled entry point. */
  main: string;
  remove(): void;
}

/** Compiles src into a fresh directory under .tmp/ (half a second); call once per test file, in beforeAll. */
export async function buildService(): Promise<ServiceBuild> {
  const root = join(PROJECT_ROOT, '.tmp');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, `service-build-${process.pid}-`));
  try {
    await run(SWC, ['src', '-d', dir, '--quiet'], { cwd: PROJECT_ROOT });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const e = error as { stderr?: string; message: string };
    throw new Error(`swc failed to compile src: ${e.stderr || e.message}`);
  }
  const main = join(dir, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`swc produced no ${main}`);
  return { main, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Keeps the last `limit` characters of a stream, for diagnostics. */
class Tail {
  private text = '';
  constructor(private readonly limit = 64 * 1024) {}
  push(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > this.limit) this.text = this.text.slice(-this.limit);
  }
  toString(): string {
    return this.text;
  }
}

export interface StartServiceOptions {
  build: ServiceBuild;
  /** Every variable the service reads (DATA_DIR, REDIS_URL, QUEUE_PREFIX, ...); PORT is chosen here. */
  env: Record<string, string>;
  /** How long to wait for /readyz to answer 200 (default 20 s). */
  readyTimeoutMs?: number;
  /** Label for diagnostics ("first run", "after restart"). */
  label?: string;
}

/** One run of the service: a child process on a free loopback port. */
export class ServiceProcess {
  readonly stdout = new Tail();
  readonly stderr = new Tail();
  readonly exited: Promise<ServiceExit>;
  private exit: ServiceExit | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly label: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Whether the process has exited (and how). */
  get exitStatus(): ServiceExit | undefined {
    return this.exit;
  }

  /**
   * Spawns the service and resolves once GET /readyz answers 200. A port taken between choosing and
   * binding it is retried on another one; any other early exit rejects with the process's output.
   */
  static async start(options: StartServiceOptions): Promise<ServiceProcess> {
    for (let attempt = 1; ; attempt += 1) {
      const port = await freeLoopbackPort();
      const service = ServiceProcess.spawn(options, port);
      try {
        await service.waitUntilReady(options.readyTimeoutMs ?? 60_000);
        return service;
      } catch (error) {
        await service.kill('SIGKILL');
        if (attempt < 3 && /EADDRINUSE/.test(service.stderr.toString() + service.stdout.toString())) continue;
        throw error;
      }
    }
  }

  private static spawn(options: StartServiceOptions, port: number): ServiceProcess {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      NO_COLOR: '1',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...options.env,
      PORT: String(port),
    };
    const child = spawn(process.execPath, [options.build.main], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    endWithParent(child, 'KILL');
    return new ServiceProcess(child, port, options.label ?? 'service');
  }

  /** Polls /readyz until it answers 200; rejects if the process exits first or time runs out. */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      if (this.exit) throw new Error(`${this.label} exited before it was ready (${describeExit(this.exit)})\n${this.diagnostics()}`);
      try {
        const res = await this.readyz();
        if (res.status === 200) return;
        last = `${res.status} ${JSON.stringify(res.body)}`;
      } catch (error) {
        last = String(error);
      }
      if (Date.now() > deadline) throw new Error(`${this.label} not ready within ${timeoutMs} ms (last: ${last})\n${this.diagnostics()}`);
      await sleep(50);
    }
  }

  async readyz(): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  }

  /** Sends the signal (unless the process is gone) and resolves when it has exited. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 10_000): Promise<ServiceExit> {
    if (!this.exit) this.child.kill(signal);
    return this.waitForExit(timeoutMs);
  }

  /** Resolves with how the process ended; after timeoutMs kills it with SIGKILL and rejects. */
  async waitForExit(timeoutMs = 10_000): Promise<ServiceExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`${this.label} (pid ${this.pid}) did not exit within ${timeoutMs} ms\n${this.diagnostics()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The process's recent output, to append to a failure. */
  diagnostics(): string {
    const status = this.exit ? describeExit(this.exit) : 'running';
    return [
      `--- ${this.label} (pid ${this.pid}, port ${this.port}, ${status}) stderr ---`,
      this.stderr.toString().trim() || '(empty)',
      `--- ${this.label} stdout ---`,
      this.stdout.toString().trim() || '(empty)',
    ].join('\n');
  }
}

export interface ServiceHarnessOptions {
  build: ServiceBuild;
  redisUrl: string;
  /** Variables for every run, on top of the harness's defaults. */
  env?: Record<string, string>;
}

/**
 * One service installation across restarts: a temporary DATA_DIR and a Redis key prefix of its own,
 * kept by every run started through it. Remembers every run, so diagnostics() shows them all and
 * cleanup() kills whatever still runs, deletes the Redis keys and removes the data directory.
 */
export class ServiceHarness {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'virtplane-recovery-'));
  readonly prefix = testRedisPrefix();
  readonly runs: ServiceProcess[] = [];

  constructor(private readonly options: ServiceHarnessOptions) {}

  get redisUrl(): string {
    return this.options.redisUrl;
  }

  /** The environment of a run: DATA_DIR, REDIS_URL and QUEUE_PREFIX fixed, fast retries and reconciliation. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      DATA_DIR: this.dataDir,
      REDIS_URL: this.options.redisUrl,
      QUEUE_PREFIX: this.prefix,
      JOB_BACKOFF_BASE_MS: '50',
      JOB_BACKOFF_CAP_MS: '200',
      RECONCILE_INTERVAL_SECONDS: '1',
      // A job whose worker was killed runs again once its lock expires and a stalled check sees it.
      JOB_LOCK_DURATION_MS: '2000',
      JOB_STALLED_INTERVAL_MS: '1000',
      STEP_CONVERGENCE_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'warn',
      ...this.options.env,
      ...extra,
    };
  }

  /** Starts a run (optionally with extra variables, e.g. VIRTPLANE_FAILPOINTS) and waits until ready. */
  async start(extra: Record<string, string> = {}, label = `run ${this.runs.length + 1}`): Promise<ServiceProcess> {
    const service = await ServiceProcess.start({ build: this.options.build, env: this.env(extra), label });
    this.runs.push(service);
    return service;
  }

  /** The current (latest) run. */
  get current(): ServiceProcess | undefined {
    return this.runs[this.runs.length - 1];
  }

  diagnostics(): string {
    return [`DATA_DIR ${this.dataDir}, QUEUE_PREFIX ${this.prefix}`, ...this.runs.map((r) => r.diagnostics())].join('\n');
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.runs.map((r) => r.kill('SIGKILL').catch(() => undefined)));
    await deleteRedisKeys(this.prefix, this.options.redisUrl).catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}



/** A unique name for a run's artefacts. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

function describeExit(exit: ServiceExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
