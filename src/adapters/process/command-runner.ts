/**
 * Runs one command somewhere and collects its output: a local child process (virsh against a
 * libvirt URI we reach directly) or the Kubernetes exec API in a virt-launcher pod's compute
 * container (where libvirt lives inside each KubeVirt VM's pod). The hypervisor adapter speaks
 * through this, so it does not care which transport carries the command.
 *
 * A command that ran and exited non-zero is a result, not an error: the caller classifies libvirt's
 * message. Failing to run it at all (connection refused, pod gone, timeout) rejects with an
 * AdapterError.
 */
export interface CommandRunner {
  run(argv: readonly string[], options?: CommandOptions): Promise<CommandResult>;
}

export interface CommandOptions {
  /** Sent on the command's standard input, then closed. */
  stdin?: string;
  /** Past this the command is abandoned and the call rejects with a transient 'Timeout'. */
  timeoutMs?: number;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * A transport that can also keep a command running and hand over its output line by line (a local
 * `virsh event --loop`). Transports without it (one exec per call) leave watching to polling.
 */
export interface LineFollowingRunner {
  follow(argv: readonly string[], onLine: (line: string) => void, onExit: (result: { exitCode: number; stderr: string }) => void): FollowedCommand;
}

export interface FollowedCommand {
  /** Ends the command; `onExit` is not called after this. */
  stop(): void;
}

export function canFollow(runner: CommandRunner): runner is CommandRunner & LineFollowingRunner {
  return typeof (runner as Partial<LineFollowingRunner>).follow === 'function';
}
