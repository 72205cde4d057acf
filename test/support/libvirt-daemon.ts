import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/libvirt-test-daemon.sh');

/** A private libvirtd (libvirt's test driver) for one test file, from scripts/libvirt-test-daemon.sh. */
export class LibvirtTestDaemon {
  /** `test+unix:///default?socket=<dir>/run/libvirt-sock`: the test driver's shared state. */
  readonly uri: string;
  private watchdog: ReturnType<typeof spawn> | undefined;

  private constructor(readonly dir: string) {
    this.uri = `test+unix:///default?socket=${dir}/run/libvirt-sock`;
  }

  /** Starts a daemon in a fresh short directory under /tmp; rejects with the script's reason. */
  static async start(): Promise<LibvirtTestDaemon> {
    // Short on purpose: the socket path must stay under the 107-byte unix socket limit.
    const daemon = new LibvirtTestDaemon(mkdtempSync(`/tmp/vpl-${randomBytes(2).toString('hex')}`));
    try {
      await daemon.restart();
      return daemon;
    } catch (error) {
      await daemon.dispose();
      throw error;
    }
  }

  /** Starts (again) in the same directory, so the URI stays the same. The test driver's state starts afresh. */
  async restart(): Promise<void> {
    const out = await this.script('start');
    const pids = ['LIBVIRTD_PID', 'KEEPER_PID'].map((key) => Number(new RegExp(`${key}=(\\d+)`).exec(out)?.[1]));
    this.killWithParent(pids.filter((pid) => Number.isInteger(pid) && pid > 0));
  }

  /** Stops libvirtd and its keeper (the test driver's state is lost). */
  async stop(): Promise<void> {
    await this.script('stop');
    this.watchdog?.kill('SIGKILL');
    this.watchdog = undefined;
  }

  /** Stops the daemon and removes its directory. */
  async dispose(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs virsh against the daemon, as an operator on the node would (defines, starts, destroys domains). */
  async virsh(...args: string[]): Promise<string> {
    const { stdout } = await run('virsh', ['-q', '-c', this.uri, ...args], { env: { ...process.env, LC_ALL: 'C' } });
    return stdout;
  }

  private async script(command: 'start' | 'stop'): Promise<string> {
    try {
      const { stdout } = await run('bash', [SCRIPT, command], { env: { ...process.env, LIBVIRT_TEST_DIR: this.dir }, timeout: 30_000 });
      return stdout;
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`libvirt-test-daemon.sh ${command} failed: ${(stderr || stdout || String(error)).trim()}`, { cause: error });
    }
  }

  /** The daemon runs in its own session (setsid); a jest worker that dies must not leave it behind. */
  private killWithParent(pids: number[]): void {
    this.watchdog?.kill('SIGKILL');
    const watchdog = spawn('sh', ['-c', 'read _ignored; kill -KILL "$@" 2>/dev/null', 'vp-libvirt-watchdog', ...pids.map(String)], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    watchdog.once('error', () => undefined);
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    this.watchdog = watchdog;
  }
}

/**
 * A private libvirtd for this test file, or null when the tests must be skipped. Outside CI a
 * daemon that cannot start skips them with the reason printed; under CI=true it throws, so the
 * file fails instead of passing with nothing tested.
 */
export async function privateLibvirtdOrSkip(what: string): Promise<LibvirtTestDaemon | null> {
  try {
    return await LibvirtTestDaemon.start();
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`Skipping ${what}: a private libvirtd could not start (${error instanceof Error ? error.message : String(error)}). Under CI=true this fails.`);
    return null;
  }
}
