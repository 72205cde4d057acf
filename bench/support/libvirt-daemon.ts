import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A private libvirtd (test driver) for the bench, from scripts/libvirt-test-daemon.sh; run from the repository root. */
export class BenchLibvirtd {
  readonly uri: string;

  private constructor(readonly dir: string) {
    this.uri = `test+unix:///default?socket=${dir}/run/libvirt-sock`;
  }

  static start(): BenchLibvirtd {
    const daemon = new BenchLibvirtd(mkdtempSync('/tmp/vpb-'));
    try {
      daemon.script('start');
    } catch (error) {
      daemon.stop();
      throw error;
    }
    return daemon;
  }

  /** Defines and starts a test-driver domain with room to grow. */
  defineRunning(name: string): void {
    const file = join(this.dir, `${name}.xml`);
    writeFileSync(file, `<domain type='test'><name>${name}</name><memory unit='MiB'>8192</memory><currentMemory unit='MiB'>2048</currentMemory><vcpu current='2'>8</vcpu><os><type>hvm</type></os></domain>`);
    execFileSync('virsh', ['-q', '-c', this.uri, 'define', file], { stdio: 'ignore' });
    execFileSync('virsh', ['-q', '-c', this.uri, 'start', name], { stdio: 'ignore' });
  }

  stop(): void {
    try {
      this.script('stop');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private script(command: 'start' | 'stop'): void {
    execFileSync('bash', ['scripts/libvirt-test-daemon.sh', command], { env: { ...process.env, LIBVIRT_TEST_DIR: this.dir }, stdio: ['ignore', 'ignore', 'pipe'] });
  }
}
