import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/real-guest/guest.sh');
const QEMU_DRIVER = '/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so';

/** What the guest printed in one GUEST-STAT line: its own view of CPUs, memory and NICs. */
export interface GuestStat {
  t: number;
  nproc: number;
  memTotalKiB: number;
  nics: Array<{ name: string; mac: string }>;
}

/** Why a real guest cannot run here, or null when it can. */
export function realGuestMissing(): string | null {
  if (process.getuid?.() !== 0) return 'the private libvirtd needs root (unshare --mount --net)';
  for (const binary of ['libvirtd', 'virsh', 'qemu-system-x86_64', 'unshare', 'ip', 'apt-get', 'dpkg']) {
    const found = (process.env.PATH ?? '').split(':').some((dir) => existsSync(join(dir, binary)));
    if (!found) return `${binary} is not installed (Debian: qemu-system-x86 libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients; .ci/run installs them)`;
  }
  if (!existsSync(QEMU_DRIVER)) return "libvirt's qemu driver is not installed (libvirt-daemon-driver-qemu)";
  const cache = process.env.VIRTPLANE_GUEST_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'virtplane', 'real-guest');
  if (!existsSync(join(cache, 'vmlinuz')) && !aptOffersKernel()) return 'apt offers no linux-image-amd64 to build the guest from (run apt-get update)';
  return null;
}

function aptOffersKernel(): boolean {
  try {
    return /Depends: linux-image-/.test(execFileSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return false;
  }
}

/** Parses the serial log's GUEST-STAT lines, oldest first. */
export function parseGuestStats(log: string): GuestStat[] {
  const stats: GuestStat[] = [];
  for (const match of log.matchAll(/^GUEST-STAT t=(\d+) nproc=(\d+) MemTotal_kB=(\d+) nics=(\S*)\s*$/gm)) {
    const nics = match[4]!
      .split(',')
      .filter(Boolean)
      .map((entry) => {
        const [name, mac] = entry.split('@');
        return { name: name!, mac: (mac ?? '').toLowerCase() };
      });
    stats.push({ t: Number(match[1]), nproc: Number(match[2]), memTotalKiB: Number(match[3]), nics });
  }
  return stats;
}

/**
 * A private libvirtd with the qemu driver in its own mount and network namespaces
 * (scripts/real-guest/guest.sh), for one test file, and the guest kernel and initramfs it boots.
 * The simulator's real-guest backend defines the domains; this reads what the guests print.
 */
export class RealGuestHost {
  readonly uri: string;
  readonly serialDir: string;
  private watchdog: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly kernel: string,
    readonly initrd: string,
  ) {
    this.uri = `qemu:///system?socket=${dir}/sock/libvirt-sock`;
    this.serialDir = join(dir, 'serial');
  }

  /** Builds (or finds cached) the guest, starts the daemon in a fresh short directory under /tmp. */
  static async start(): Promise<RealGuestHost> {
    await script(['build'], 300_000);
    const paths = await script(['paths']);
    const value = (key: string) => new RegExp(`^${key}=(.+)$`, 'm').exec(paths)?.[1] ?? '';
    // Short on purpose: the socket path must stay under the 107-byte unix socket limit.
    const host = new RealGuestHost(mkdtempSync('/tmp/vprg-'), value('KERNEL'), value('INITRD'));
    try {
      await script(['start', host.dir], 60_000);
      host.stopWithParent();
      return host;
    } catch (error) {
      await host.stop().catch(() => undefined);
      throw error;
    }
  }

  /** The embedded default's variables for a node whose VMs are this host's guests. */
  env(node: string): Record<string, string> {
    return {
      SIM_REAL_GUEST_URI: this.uri,
      SIM_REAL_GUEST_NODE: node,
      SIM_REAL_GUEST_KERNEL: this.kernel,
      SIM_REAL_GUEST_INITRD: this.initrd,
      SIM_REAL_GUEST_SERIAL_DIR: this.serialDir,
    };
  }

  /** virsh against the daemon, as an operator on the node would. */
  async virsh(...args: string[]): Promise<string> {
    const { stdout } = await run('virsh', ['-q', '-c', this.uri, ...args], { env: { ...process.env, LC_ALL: 'C' }, timeout: 60_000 });
    return stdout;
  }

  serialLog(domain: string): string {
    const path = join(this.serialDir, `${domain}.log`);
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  }

  stats(domain: string): GuestStat[] {
    return parseGuestStats(this.serialLog(domain));
  }

  latest(domain: string): GuestStat | undefined {
    return this.stats(domain).at(-1);
  }

  /** Waits for a GUEST-STAT line printed after `after` (its t) that satisfies the check. */
  async waitForStat(domain: string, what: string, check: (stat: GuestStat) => boolean, timeoutMs = 60_000, after = -1): Promise<GuestStat> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.stats(domain).find((s) => s.t > after && check(s));
      if (found) return found;
      if (Date.now() > deadline) {
        const tail = this.serialLog(domain).split('\n').slice(-8).join('\n');
        throw new Error(`the guest ${domain} did not report ${what} within ${timeoutMs} ms; its serial console ends:\n${tail}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Destroys the daemon's domains, stops it and removes its directory (the namespaces go with it). */
  async stop(): Promise<void> {
    await script(['stop', this.dir], 60_000);
    this.watchdog?.kill('SIGKILL');
    this.watchdog = undefined;
  }

  /** A jest worker that dies must not leave the daemon and its guests behind. */
  private stopWithParent(): void {
    const watchdog = spawn('sh', ['-c', 'read _ignored; exec bash "$0" stop "$1"', SCRIPT, this.dir], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    watchdog.once('error', () => undefined);
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    this.watchdog = watchdog;
  }
}

async function script(args: string[], timeout = 30_000): Promise<string> {
  try {
    const { stdout } = await run('bash', [SCRIPT, ...args], { timeout });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`scripts/real-guest/guest.sh ${args[0]} failed: ${(stderr || stdout || String(error)).trim()}`, { cause: error });
  }
}
