import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { PrivateRedisFailedError } from './private-redis-failed.error.js';
import { RedisNotInstalledError } from './redis-not-installed.error.js';
import { RedisUnreachableError } from './redis-unreachable.error.js';
import { endWithParent, freeLoopbackPort } from '../process/child-processes.js';

export interface PrivateRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL after a few seconds) and resolves when it has exited. */
  stop(): Promise<void>;
}

export interface StartPrivateRedisOptions {
  /** Working directory of the server (its log lives here). */
  dataDir: string;
  /** A fixed port; default a free loopback port. */
  port?: number;
  /** The executable; default redis-server from PATH, /usr/bin, /usr/sbin or /usr/local/bin. */
  executable?: string;
  startTimeoutMs?: number;
}

const SEARCH_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin'];

/**
 * Starts a redis-server for this process alone, on loopback, without persistence: `--save ''` and
 * `--appendonly no`. Redis only holds derived state here (rule 1): on start the process managers
 * re-derive pending work from the event store and re-enqueue it with the same job ids, so a private
 * server that starts empty loses nothing, and persistence would only add disk writes and a stale
 * second copy of the truth after a crash.
 *
 * The server goes away with its parent: stop() ends it, and a tiny watchdog shell holding a pipe from
 * this process kills it when that pipe closes, which happens however the parent dies (even SIGKILL).
 */
export async function startPrivateRedis(options: StartPrivateRedisOptions): Promise<PrivateRedis> {
  const executable = findRedisServer(options.executable);
  // redis-server changes into --dir before it opens --logfile, so a relative path would be read twice.
  options = { ...options, dataDir: resolve(options.dataDir) };
  mkdirSync(options.dataDir, { recursive: true });
  // A free port can be taken between probing and binding; retry then, unless the port was chosen.
  const tries = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let i = 0; i < tries; i += 1) {
    const port = options.port ?? (await freeLoopbackPort());
    try {
      return await launch(executable, port, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

export interface ResolveRedisOptions {
  /** REDIS_URL, when configured. */
  redisUrl?: string;
  /** Where a private server keeps its working files. */
  dataDir: string;
  executable?: string;
  connectTimeoutMs?: number;
}

export interface ResolvedRedis {
  url: string;
  /** Whether virtplane started this server (and stops it on stop()). */
  private: boolean;
  stop(): Promise<void>;
}

/**
 * The Redis to use: REDIS_URL when set (and it must answer), else a private redis-server under
 * dataDir. A shared Redis on 6379 is never adopted silently: another application's Redis is not ours.
 */
export async function resolveRedis(options: ResolveRedisOptions): Promise<ResolvedRedis> {
  if (options.redisUrl) {
    await probe(options.redisUrl, options.connectTimeoutMs ?? 3000).catch((error: unknown) => {
      throw new RedisUnreachableError(redact(options.redisUrl!), error);
    });
    return { url: options.redisUrl, private: false, stop: async () => undefined };
  }
  const redis = await startPrivateRedis({ dataDir: join(options.dataDir, 'redis'), executable: options.executable });
  return { url: redis.url, private: true, stop: () => redis.stop() };
}

/** The redis-server executable, or RedisNotInstalledError saying how to get one. */
export function findRedisServer(explicit?: string): string {
  const candidates = explicit
    ? [explicit]
    : [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SEARCH_DIRS].map((dir) => join(dir, 'redis-server'));
  const unique = [...new Set(candidates)];
  for (const candidate of unique) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next one
    }
  }
  throw new RedisNotInstalledError(unique);
}

async function launch(executable: string, port: number, options: StartPrivateRedisOptions): Promise<PrivateRedis> {
  const logFile = join(options.dataDir, 'redis.log');
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--protected-mode', 'yes',
    '--daemonize', 'no',
    '--dir', options.dataDir,
    '--logfile', logFile,
    '--save', '',
    '--appendonly', 'no',
  ];
  const server = spawn(executable, args, { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  server.once('error', () => undefined); // reported through 'exit' and the failed PING
  endWithParent(server, 'TERM');
  const url = `redis://127.0.0.1:${port}`;

  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  let exitCode: number | null | undefined;
  void exited.then((code) => { exitCode = code; });
  for (;;) {
    if (exitCode !== undefined) {
      throw new PrivateRedisFailedError(executable, `it exited with code ${exitCode} on port ${port}`, tail(logFile));
    }
    // Only our own server counts: another one already on the port would answer PING too.
    const answeredBy = await serverPid(port, 500).catch(() => undefined);
    if (answeredBy === server.pid) break;
    if (answeredBy !== undefined) {
      server.kill('SIGKILL');
      throw new PrivateRedisFailedError(executable, `port ${port} is already served by another redis-server (pid ${answeredBy})`, tail(logFile));
    }
    if (Date.now() > deadline) {
      server.kill('SIGKILL');
      throw new PrivateRedisFailedError(executable, `no answer to PING on port ${port}`, tail(logFile));
    }
    await sleep(50);
  }
  // Neither process keeps the parent alive; the watchdog ends the server if the parent forgets to.
  server.unref();

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop: () => {
      stopping ??= (async () => {
          if (server.exitCode !== null || server.signalCode !== null) return;
        server.kill('SIGTERM');
        const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/**
 * The pid of the redis-server answering on a loopback port, over a bare socket: ioredis leaves a
 * timer running for seconds after a refused connection, which would hold the parent open.
 */
function serverPid(port: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (error: Error | null, pid?: number) => {
      socket.destroy();
      if (error) reject(error);
      else resolve(pid!);
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no answer within ${timeoutMs} ms`)));
    socket.once('error', (error) => done(error));
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.startsWith('-')) return done(new Error(reply.trim()));
      const match = /process_id:(\d+)/.exec(reply);
      if (match) done(null, Number(match[1]));
    });
  });
}

async function probe(url: string, timeoutMs: number): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}


function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n').trim();
  } catch {
    return '';
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
