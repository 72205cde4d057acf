import { execFile } from 'node:child_process';

export interface VirshResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What the real-guest roles need of virsh (a fake in unit tests). */
export type VirshCommands = Pick<RealVirsh, 'run' | 'check'>;

/** virsh against one libvirtd, as a process per command (what a launcher pod's container runs). */
export class RealVirsh {
  constructor(private readonly uri: string, private readonly binary = 'virsh') {}

  /** Runs `virsh -c <uri> ...args`; never rejects: a failure is a non-zero exit with libvirt's message. */
  run(args: readonly string[], timeoutMs = 30_000): Promise<VirshResult> {
    return new Promise((resolve) => {
      execFile(this.binary, ['-c', this.uri, ...args], { env: { ...process.env, LC_ALL: 'C' }, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (!error) return resolve({ exitCode: 0, stdout, stderr });
        const failure = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        const exitCode = typeof failure.code === 'number' ? failure.code : 1;
        const why = failure.killed ? `error: virsh ${args[0] ?? ''} did not finish within ${timeoutMs} ms\n` : typeof failure.code === 'string' ? `error: ${failure.message}\n` : '';
        resolve({ exitCode, stdout, stderr: stderr || why });
      });
    });
  }

  /** stdout of a command that must succeed; libvirt's message otherwise. */
  async check(args: readonly string[], timeoutMs?: number): Promise<string> {
    const result = await this.run(args, timeoutMs);
    if (result.exitCode !== 0) throw new Error(`virsh ${args.join(' ')}: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
    return result.stdout;
  }
}
