import { seedRunningVm } from '../../../support/kube/kubevirt-fixtures.js';
import { useRecordingCluster } from '../../../support/kube/recording-cluster.js';

const REF = { namespace: 'tenant-a', name: 'web-01' };

describe('PodExecCommandRunner: commands in the virt-launcher pod over the exec API', () => {
  const k = useRecordingCluster();

  it('given a running VM, when virsh runs, then it runs in the launcher pod compute container and stdout and exit 0 come back', async () => {
    seedRunningVm(k.server, REF.namespace, REF.name);
    k.server.exec = ({ argv }) => ({ stdout: `ran ${argv.join(' ')}\n` });
    const result = await k.cluster.commandRunner(REF).run(['virsh', 'setvcpus', 'tenant-a_web-01', '4', '--live']);
    expect(result).toEqual({ exitCode: 0, stdout: 'ran virsh setvcpus tenant-a_web-01 4 --live\n', stderr: '' });
    const exec = k.server.requests.find((r) => r.path.endsWith('/exec'))!;
    expect(exec.path).toBe('/api/v1/namespaces/tenant-a/pods/virt-launcher-web-01-abcde/exec');
    expect(exec.query).toMatchObject({ container: 'compute', stdout: 'true', stderr: 'true', tty: 'false' });
  });

  it('given a command that fails, when run, then the exit code from the status channel and stderr are the result, not an error', async () => {
    seedRunningVm(k.server, REF.namespace, REF.name);
    k.server.exec = () => ({ stderr: 'error: failed to get domain\n', exitCode: 3 });
    expect(await k.cluster.commandRunner(REF).run(['virsh', 'dominfo', 'nope'])).toEqual({ exitCode: 3, stdout: '', stderr: 'error: failed to get domain\n' });
  });

  it('given stdin, when run, then the command reads it to its end', async () => {
    seedRunningVm(k.server, REF.namespace, REF.name);
    k.server.exec = ({ stdin }) => ({ stdout: stdin.toUpperCase() });
    expect((await k.cluster.commandRunner(REF).run(['cat'], { stdin: '<domain/>' })).stdout).toBe('<DOMAIN/>');
  });

  it('given no launcher pod, when run, then it is refused permanently (the VM is not running)', async () => {
    await expect(k.cluster.commandRunner(REF).run(['virsh', 'list'])).rejects.toMatchObject({ code: 'VmNotRunning', retryable: false });
  });

  it('given the API k.server is gone, when run, then it fails transiently', async () => {
    await k.server.stop();
    await expect(k.cluster.commandRunner(REF).run(['virsh', 'list'])).rejects.toMatchObject({ retryable: true });
  });
});
