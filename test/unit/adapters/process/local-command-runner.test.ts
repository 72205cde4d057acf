import { PermanentAdapterError, TransientAdapterError } from '../../../../src/adapters/adapter-errors.js';
import { LocalCommandRunner } from '../../../../src/adapters/process/local-command-runner.js';
import { eventually } from '../../../support/eventually.js';

describe('LocalCommandRunner', () => {
  const runner = new LocalCommandRunner();

  it('given a command that fails, when run, then its exit code and both outputs are the result, not an error', async () => {
    const result = await runner.run(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(result).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('given stdin, when run, then the command reads it, in the C locale', async () => {
    const result = await runner.run(['sh', '-c', 'cat; echo " $LC_ALL"'], { stdin: 'hello' });
    expect(result.stdout).toBe('hello C\n');
  });

  it('given a command that outlives its timeout, when run, then it is killed and the call fails transient Timeout', async () => {
    const error = await runner.run(['sleep', '30'], { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientAdapterError);
    expect(error).toMatchObject({ code: 'Timeout' });
  });

  it('given a command that is not installed, when run, then it fails permanent NotSupported', async () => {
    const error = await runner.run(['vp-no-such-command-here']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentAdapterError);
    expect(error).toMatchObject({ code: 'NotSupported' });
  });

  it('given a followed command, when it prints lines and ends, then each line and then the exit arrive', async () => {
    const lines: string[] = [];
    let exit: { exitCode: number; stderr: string } | undefined;
    runner.follow(['sh', '-c', 'echo one; echo two; echo bad >&2; exit 1'], (line) => lines.push(line), (result) => (exit = result));
    await eventually(() => expect(exit).toEqual({ exitCode: 1, stderr: 'bad\n' }));
    expect(lines).toEqual(['one', 'two']);
  });

  it('given a followed command that is stopped, when it ends, then no exit is reported', async () => {
    let exited = false;
    const followed = runner.follow(['sleep', '30'], () => undefined, () => (exited = true));
    followed.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exited).toBe(false);
  });
});
