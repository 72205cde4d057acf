import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';

/** Private ovsdb-servers (Open_vSwitch and OVN_Northbound) for the bench, from scripts/ovsdb-servers.sh; run from the repository root. */
export class BenchOvsdbServers {
  private constructor(readonly dir: string) {}

  static start(): BenchOvsdbServers {
    const servers = new BenchOvsdbServers(mkdtempSync('/tmp/vpb-'));
    try {
      servers.script('start');
    } catch (error) {
      servers.stop();
      throw error;
    }
    return servers;
  }

  get nbSocket(): string {
    return `unix:${this.dir}/nb.sock`;
  }

  stop(): void {
    try {
      this.script('stop');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private script(command: 'start' | 'stop'): void {
    execFileSync('bash', ['scripts/ovsdb-servers.sh', command, this.dir], { stdio: 'ignore' });
  }
}
