import type { CommandRunner } from '../process/command-runner.js';
import { classifyVirshFailure } from './virsh-errors.js';

export interface VirshOptions {
  /** The virsh binary; default `virsh` on the transport's PATH. */
  binary?: string;
  /** Per command; past it the command is abandoned with a transient 'Timeout'. */
  timeoutMs?: number;
}

/** One virsh command against a connection URI, through whatever transport carries it. */
export class Virsh {
  constructor(
    private readonly runner: CommandRunner,
    private readonly options: VirshOptions = {},
  ) {}

  /** The command's standard output; a non-zero exit throws the AdapterError libvirt's message stands for. */
  async run(uri: string, args: readonly string[]): Promise<string> {
    const result = await this.runner.run(this.argv(uri, args), { timeoutMs: this.options.timeoutMs ?? 15_000 });
    if (result.exitCode !== 0) throw classifyVirshFailure(result.stderr, result.exitCode);
    return result.stdout;
  }

  /** The full command line (`virsh -q -c URI ...`), for transports that keep a command running. */
  argv(uri: string, args: readonly string[]): string[] {
    return [this.options.binary ?? 'virsh', '-q', '-c', uri, ...args];
  }
}
