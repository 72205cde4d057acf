import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { endWithParent, freeLoopbackPort } from '../src/adapters/process/child-processes.js';
import { percentile } from './support/measure.js';
import { BENCH_REDIS_URL, benchRedisPrefix, deleteRedisKeys } from './support/redis.js';

const run = promisify(execFile);
const GUEST = 'scripts/real-guest/guest.sh';
const SERVERS = '/compute/v2.1/servers';

export interface RealGuestBenchResult {
  /** Request → the guest's first GUEST-CHANGE line with the new CPU count online (ms), one per vCPU added. */
  vcpuSeen: number[];
  /** Request → the instance action finished (ms). */
  vcpuDone: number[];
  /** Request → the guest's MemTotal grown by the whole step (ms), one per 128 MiB step. */
  memorySeen: number[];
  memoryDone: number[];
  /** Request → a simulated VM of the same memory (640 MiB) running on the other node (ms). */
  migrationDone: number[];
}

/**
 * Hot-add latency on a real guest against live migration on the simulator (issue 9): the service
 * (dist/src/main.js) on its embedded default with node-1's VMs as QEMU guests (TCG) under a
 * private libvirtd (scripts/real-guest/guest.sh), node-2 and node-3 simulated. One guest booted at
 * 1 vCPU / 256 MiB gets vCPUs 2, 3, 4 and memory 384, 512, 640 MiB through os-hotResize, each timed
 * from the request to the guest's own report (its /init looks every 0.1 s and prints GUEST-CHANGE
 * at once) and to the instance action's end. Then a simulated VM of the same 640 MiB is live-migrated
 * between node-2 and node-3 (KubeVirt's way of hot-plugging: a new launcher pod, then the move).
 * Needs root, Redis, and what .ci/run installs.
 */
export async function benchRealGuest(migrations: number): Promise<RealGuestBenchResult> {
  await run('bash', [GUEST, 'build'], { timeout: 300_000 });
  const paths = (await run('bash', [GUEST, 'paths'])).stdout;
  const value = (key: string) => new RegExp(`^${key}=(.+)$`, 'm').exec(paths)?.[1] ?? '';
  const dir = mkdtempSync('/tmp/vprg-');
  const dataDir = mkdtempSync(join(tmpdir(), 'virtplane-bench-guest-'));
  const prefix = benchRedisPrefix();
  let service: ChildProcess | undefined;
  try {
    await run('bash', [GUEST, 'start', dir], { timeout: 60_000 });
    const port = await freeLoopbackPort();
    service = spawn(process.execPath, ['dist/src/main.js'], {
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port),
        DATA_DIR: dataDir, REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: prefix,
        CLUSTER_BACKEND: 'simulator', SIM_NODES: 'node-1:4:768,node-2:8:16384,node-3:8:16384',
        SIM_REAL_GUEST_URI: `qemu:///system?socket=${dir}/sock/libvirt-sock`, SIM_REAL_GUEST_NODE: 'node-1',
        SIM_REAL_GUEST_KERNEL: value('KERNEL'), SIM_REAL_GUEST_INITRD: value('INITRD'), SIM_REAL_GUEST_SERIAL_DIR: join(dir, 'serial'),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    endWithParent(service, 'KILL');
    const api = await Api.open(`http://127.0.0.1:${port}`);

    const small = await api.flavor({ name: 'bench.guest', vcpus: 1, ram: 256, disk: 1, 'hw:max_vcpus': 4, 'hw:max_ram_mb': 640 });
    const guestId = await api.activeServer('bench-guest', small);
    const domain = await until('the guest domain', async () => {
      const { stdout } = await run('virsh', ['-q', '-c', `qemu:///system?socket=${dir}/sock/libvirt-sock`, 'list', '--name']);
      return stdout.split('\n').map((l) => l.trim()).find((n) => n.endsWith(`_vm-${guestId}`));
    });
    const serial = new SerialLog(join(dir, 'serial', `${domain}.log`));
    // Booted, and the balloon holding it at 256 MiB: the same MemTotal twice in a row.
    const boot = await serial.next((line, previous) => line.kind === 'STAT' && line.memTotalKiB < 256 * 1024 && previous?.memTotalKiB === line.memTotalKiB, 180_000);

    const result: RealGuestBenchResult = { vcpuSeen: [], vcpuDone: [], memorySeen: [], memoryDone: [], migrationDone: [] };
    for (const vcpus of [2, 3, 4]) {
      const started = performance.now();
      const requestId = await api.hotResize(guestId, { vcpus });
      await serial.next((line) => line.kind === 'CHANGE' && line.nproc === vcpus);
      result.vcpuSeen.push(performance.now() - started);
      await api.actionFinished(guestId, requestId);
      result.vcpuDone.push(performance.now() - started);
    }
    for (const ram of [384, 512, 640]) {
      const started = performance.now();
      const requestId = await api.hotResize(guestId, { ram });
      await serial.next((line) => line.kind === 'CHANGE' && line.memTotalKiB >= boot.memTotalKiB + (ram - 256) * 1024);
      result.memorySeen.push(performance.now() - started);
      await api.actionFinished(guestId, requestId);
      result.memoryDone.push(performance.now() - started);
    }

    // node-1 has 128 MiB left: this one lands on node-2, simulated.
    const same = await api.flavor({ name: 'bench.guest-640', vcpus: 1, ram: 640, disk: 1, 'hw:max_vcpus': 4, 'hw:max_ram_mb': 640 });
    const movingId = await api.activeServer('bench-migrating', same);
    for (let i = 0; i < migrations; i += 1) {
      const from = (await api.server(movingId))['OS-EXT-SRV-ATTR:host'] as string;
      const to = from === 'node-2' ? 'node-3' : 'node-2';
      const started = performance.now();
      const reply = await api.call('POST', `${SERVERS}/${movingId}/action`, { 'os-migrateLive': { host: to, block_migration: 'auto' } });
      if (reply.status !== 202) throw new Error(`live migration: ${reply.status} ${JSON.stringify(reply.body)}`);
      await until(`the VM on ${to}`, async () => {
        const s = await api.server(movingId);
        return s['OS-EXT-SRV-ATTR:host'] === to && s['OS-EXT-STS:task_state'] === null ? true : undefined;
      }, 120_000, 10);
      result.migrationDone.push(performance.now() - started);
    }
    return result;
  } finally {
    service?.kill('SIGKILL');
    await run('bash', [GUEST, 'stop', dir], { timeout: 60_000 }).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    await deleteRedisKeys(prefix).catch(() => 0);
  }
}

export function realGuestRows(r: RealGuestBenchResult): string[] {
  const spread = (ms: number[]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return `p50 ${(percentile(sorted, 50) / 1000).toFixed(2)} s, max ${(sorted.at(-1)! / 1000).toFixed(2)} s (in order: ${ms.map((m) => (m / 1000).toFixed(2)).join(', ')})`;
  };
  return [
    `| — | real guest: hot-add 1 vCPU, request → the guest has it online | ${spread(r.vcpuSeen)} | ${r.vcpuSeen.length} adds (1→4) |`,
    `| — | real guest: hot-add 1 vCPU, request → action finished | ${spread(r.vcpuDone)} | ${r.vcpuDone.length} adds |`,
    `| — | real guest: hot-add 128 MiB, request → the guest's MemTotal has it | ${spread(r.memorySeen)} | ${r.memorySeen.length} steps (256→640 MiB) |`,
    `| — | real guest: hot-add 128 MiB, request → action finished | ${spread(r.memoryDone)} | ${r.memoryDone.length} steps |`,
    `| — | simulator: live migration of a 640 MiB VM, request → running on the target | ${spread(r.migrationDone)} | ${r.migrationDone.length} migrations |`,
  ];
}

interface SerialLine {
  kind: 'STAT' | 'CHANGE';
  nproc: number;
  memTotalKiB: number;
}

/** The guest's serial console, read as it grows (polled every 10 ms). */
class SerialLog {
  private offset = 0;
  private previous: SerialLine | undefined;

  constructor(private readonly path: string) {}

  /** The next line (after those already consumed) that satisfies the check. */
  async next(check: (line: SerialLine, previous: SerialLine | undefined) => boolean, timeoutMs = 60_000): Promise<SerialLine> {
    return until(`a line in ${this.path}`, async () => {
      const text = existsSync(this.path) ? readFileSync(this.path, 'utf8') : '';
      const end = text.lastIndexOf('\n') + 1;
      const fresh = text.slice(this.offset, end);
      this.offset = Math.max(this.offset, end);
      for (const raw of fresh.split('\n')) {
        const m = /^GUEST-(STAT|CHANGE) \S+ nproc=(\d+) MemTotal_kB=(\d+)/.exec(raw);
        if (!m) continue;
        const line: SerialLine = { kind: m[1] as 'STAT' | 'CHANGE', nproc: Number(m[2]), memTotalKiB: Number(m[3]) };
        const previous = this.previous;
        if (line.kind === 'STAT') this.previous = line;
        if (check(line, previous)) return line;
      }
      return undefined;
    }, timeoutMs, 10);
  }
}

/** The service's REST API as an admin. */
class Api {
  private constructor(private readonly base: string, private readonly token: string) {}

  static async open(base: string): Promise<Api> {
    await until('the service ready', async () => ((await fetch(`${base}/readyz`).catch(() => null))?.status === 200 ? true : undefined), 120_000);
    const res = await fetch(`${base}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'admin-secret' } } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } } }),
    });
    return new Api(base, res.headers.get('x-subject-token') ?? '');
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; requestId: string }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'x-auth-token': this.token, 'openstack-api-version': 'compute 2.96', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, requestId: res.headers.get('x-openstack-request-id') ?? '' };
  }

  async flavor(flavor: Record<string, unknown>): Promise<string> {
    const reply = await this.call('POST', '/compute/v2.1/flavors', { flavor });
    if (reply.status !== 200) throw new Error(`flavor: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.flavor.id;
  }

  async server(id: string): Promise<Record<string, unknown>> {
    return (await this.call('GET', `${SERVERS}/${id}`)).body.server;
  }

  async activeServer(name: string, flavorRef: string): Promise<string> {
    const reply = await this.call('POST', SERVERS, { server: { name, flavorRef, imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' } });
    if (reply.status !== 202) throw new Error(`server create: ${reply.status} ${JSON.stringify(reply.body)}`);
    const id = reply.body.server.id as string;
    await until(`${name} ACTIVE`, async () => ((await this.server(id)).status === 'ACTIVE' ? true : undefined), 120_000);
    return id;
  }

  async hotResize(id: string, body: { vcpus?: number; ram?: number }): Promise<string> {
    const reply = await this.call('POST', `${SERVERS}/${id}/action`, { 'os-hotResize': body });
    if (reply.status !== 202) throw new Error(`hot resize: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.requestId;
  }

  /** Until the action's events all ended (and it did not fail) and the server has no task. */
  async actionFinished(id: string, requestId: string): Promise<void> {
    await until(`action ${requestId}`, async () => {
      const action = (await this.call('GET', `${SERVERS}/${id}/os-instance-actions/${requestId}`)).body?.instanceAction;
      if (!action || action.events.length === 0 || !action.events.every((e: { finish_time: string | null }) => e.finish_time)) return undefined;
      if (action.message !== null) throw new Error(`action ${requestId} failed: ${JSON.stringify(action.events)}`);
      return (await this.server(id))['OS-EXT-STS:task_state'] === null ? true : undefined;
    }, 120_000, 10);
  }
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
