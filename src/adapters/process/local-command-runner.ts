import { spawn } from 'node:child_process';
import { PermanentAdapterError, TransientAdapterError } from '../adapter-errors.js';
import { endWithParent } from './child-processes.js';
import type { CommandOptions, CommandResult, CommandRunner, FollowedCommand, LineFollowingRunner } from './command-runner.js';

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Runs commands as child processes of this one. The C locale keeps libvirt's messages in English,
 * since the hypervisor adapter classifies failures by their text.
 */
export class LocalCommandRunner implements CommandRunner, LineFollowingRunner {
  constructor(private readonly options: { env?: NodeJS.ProcessEnv; defaultTimeoutMs?: number } = {}) {}

  run(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const [command, ...args] = argv;
    if (!command) return Promise.reject(new PermanentAdapterError('Invalid', 'no command to run'));
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      // No endWithParent watchdog here: the timeout bounds a one-shot command, and a watchdog shell
      // per call would double the cost of every virsh call (see bench/RESULTS.md).
      const child = spawn(command, args, { env: this.env(), stdio: ['pipe', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(() => reject(new TransientAdapterError('Timeout', `${command} did not finish within ${timeoutMs} ms`)));
      }, timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.once('error', (error: NodeJS.ErrnoException) =>
        finish(() => reject(spawnFailure(command, error))),
      );
      child.once('close', (code, signal) =>
        finish(() =>
          resolve({
            exitCode: code ?? (signal ? 128 : 1),
            stdout: Buffer.concat(stdout).toString('utf8'),
            stderr: Buffer.concat(stderr).toString('utf8'),
          }),
        ),
      );
      child.stdin.once('error', () => undefined);
      child.stdin.end(options.stdin ?? '');
    });
  }

  follow(argv: readonly string[], onLine: (line: string) => void, onExit: (result: { exitCode: number; stderr: string }) => void): FollowedCommand {
    const [command, ...args] = argv;
    const child = spawn(command ?? 'false', args, { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    endWithParent(child, 'KILL');
    let buffered = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    let exited = false;
    const exit = (exitCode: number) => {
      if (exited) return;
      exited = true;
      onExit({ exitCode, stderr });
    };
    child.once('error', (error) => {
      stderr += String(error);
      exit(127);
    });
    child.once('close', (code) => exit(code ?? 1));
    return {
      stop: () => {
        exited = true;
        child.kill('SIGTERM');
      },
    };
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, ...this.options.env, LC_ALL: 'C', LANG: 'C' };
  }
}

function spawnFailure(command: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT') return new PermanentAdapterError('NotSupported', `${command} is not installed (${error.message})`, { cause: error });
  return new TransientAdapterError('SpawnFailed', `could not run ${command}: ${error.message}`, { cause: error });
}
