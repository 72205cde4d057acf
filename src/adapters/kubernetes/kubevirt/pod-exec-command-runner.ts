import { Readable, Writable } from 'node:stream';
import { Exec, type V1Status } from '@kubernetes/client-node';
import { PermanentAdapterError, TransientAdapterError } from '../../adapter-errors.js';
import type { CommandOptions, CommandResult, CommandRunner } from '../../process/command-runner.js';
import type { VmRef } from '../cluster.port.js';
import type { KubeApi } from './kube-api.js';
import { COMPUTE_CONTAINER, findLauncherPod } from './launcher-pod.js';

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Runs a command in the VM's virt-launcher pod, container "compute", through the Kubernetes exec
 * API (a websocket; the exit code comes on the status channel as a metav1.Status). The pod is
 * looked up on every run, as a migration or restart replaces it.
 */
export class PodExecCommandRunner implements CommandRunner {
  private readonly exec: Exec;

  constructor(
    private readonly api: KubeApi,
    private readonly vm: VmRef,
  ) {
    this.exec = new Exec(api.config);
  }

  async run(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const pod = await findLauncherPod(this.api, this.vm).catch((error: unknown) => {
      throw new TransientAdapterError('Unreachable', `find virt-launcher pod of ${this.vm.namespace}/${this.vm.name}: ${String(error)}`, { cause: error });
    });
    const podName = pod?.metadata?.name;
    if (!podName) throw new PermanentAdapterError('VmNotRunning', `VM ${this.vm.namespace}/${this.vm.name} has no virt-launcher pod`);
    return this.runIn(podName, argv, options);
  }

  private runIn(podName: string, argv: readonly string[], options: CommandOptions): Promise<CommandResult> {
    const what = `exec ${argv[0] ?? ''} in ${this.vm.namespace}/${podName}`;
    const stdout = collector();
    const stderr = collector();
    const stdin = options.stdin === undefined ? null : Readable.from([Buffer.from(options.stdin)]);
    return new Promise<CommandResult>((resolve, reject) => {
      let status: V1Status | null = null;
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const timer = setTimeout(() => {
        finish(() => reject(new TransientAdapterError('Timeout', `${what}: no exit after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`)));
        socket.then((ws) => ws.close()).catch(() => undefined);
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const socket = this.exec.exec(this.vm.namespace, podName, COMPUTE_CONTAINER, [...argv], stdout.stream, stderr.stream, stdin, false, (s) => {
        status = s;
      });
      socket.then(
        (ws) => {
          ws.on('close', () =>
            finish(() => {
              const exitCode = exitCodeOf(status);
              if (exitCode === null) {
                reject(new TransientAdapterError('ExecFailed', `${what}: ${status?.message ?? 'the stream closed without an exit status'}`));
              } else {
                resolve({ exitCode, stdout: stdout.text(), stderr: stderr.text() });
              }
            }),
          );
        },
        (error: unknown) => finish(() => reject(new TransientAdapterError('Unreachable', `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }))),
      );
    });
  }
}

/** 0 for Success; the ExitCode cause for NonZeroExitCode; null when the command did not run. */
export function exitCodeOf(status: V1Status | null): number | null {
  if (!status) return null;
  if (status.status === 'Success') return 0;
  if (status.reason !== 'NonZeroExitCode') return null;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : null;
}

function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}
