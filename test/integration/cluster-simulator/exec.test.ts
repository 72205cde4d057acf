import { Exec, type V1Status } from '@kubernetes/client-node';
import { PassThrough, Readable } from 'node:stream';
import { createNamespace, eventually, ns, startFixture, vmManifest, type SimulatorFixture } from './simulator-fixture.js';

const vmPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`;

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

describe('cluster simulator: pods/exec over WebSocket', () => {
  let fixture: SimulatorFixture;
  let podName: string;
  beforeAll(async () => {
    fixture = await startFixture();
    await createNamespace(fixture);
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01', { sockets: 2 }) });
    await eventually(async () => (await (await fixture.api(`${vmPath}/web-01`)).json()).status?.printableStatus === 'Running', 10000, 'Running');
    podName = (await fixture.core.listNamespacedPod({ namespace: ns, labelSelector: 'vm.kubevirt.io/name=web-01' })).items[0]!.metadata!.name!;
  });
  afterAll(async () => fixture.simulator.close());

  const exec = async (command: string[], stdin?: string): Promise<{ stdout: string; stderr: string; status: V1Status }> => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out = collect(stdout);
    const err = collect(stderr);
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(fixture.kubeConfig).exec(ns, podName, 'compute', command, stdout, stderr, stdin === undefined ? null : Readable.from([stdin]), false, resolve).catch(reject);
    });
    return { stdout: out(), stderr: err(), status };
  };

  it('given the launcher pod, when virsh dominfo runs in compute, then the domain of its VMI answers with exit status Success', async () => {
    const result = await exec(['virsh', '-c', 'qemu+unix:///session?socket=/var/run/libvirt/virtqemud-sock', 'dominfo', `${ns}_web-01`]);
    expect(result.status).toMatchObject({ status: 'Success' });
    expect(result.stdout).toMatch(/^Name:\s+tenant-a_web-01$/m);
    expect(result.stdout).toMatch(/^CPU\(s\):\s+2$/m);
    expect(result.stdout).toMatch(/^Max memory:\s+4194304 KiB$/m);
  });

  it('given setvcpus within the maximum, when run, then dumpxml shows the new current count; beyond it, a non-zero exit code in the Status', async () => {
    expect((await exec(['virsh', 'setvcpus', `${ns}_web-01`, '3', '--live'])).status.status).toBe('Success');
    expect((await exec(['virsh', 'dumpxml', `${ns}_web-01`])).stdout).toContain("<vcpu placement='static' current='3'>4</vcpu>");
    const tooMany = await exec(['virsh', 'setvcpus', `${ns}_web-01`, '9', '--live']);
    expect(tooMany.status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '1' }] } });
    expect(tooMany.stderr).toContain('requested vcpus is greater than max allowable vcpus');
  });

  it('given setmem and domstate, when run, then the guest model answers', async () => {
    expect((await exec(['virsh', 'setmem', `${ns}_web-01`, '2G', '--live'])).status.status).toBe('Success');
    expect((await exec(['virsh', 'dominfo', `${ns}_web-01`])).stdout).toMatch(/^Used memory:\s+2097152 KiB$/m);
    expect((await exec(['virsh', 'domstate', `${ns}_web-01`])).stdout.trim()).toBe('running');
  });

  it('given stdin, when sent (v5 closes it), then the backend receives it', async () => {
    const received: Array<string | undefined> = [];
    const echo = await startFixture({ exec: { run: async (_pod, _container, _command, stdin) => { received.push(stdin); return { exitCode: 0, stdout: (stdin ?? '').toUpperCase(), stderr: '' }; } } });
    try {
      await echo.core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'compute', image: 'x' }] } } });
      await eventually(async () => (await echo.core.readNamespacedPod({ namespace: 'default', name: 'p' })).status?.phase === 'Running', 10000, 'pod running');
      const stdout = new PassThrough();
      const out = collect(stdout);
      await new Promise<V1Status>((resolve, reject) => {
        new Exec(echo.kubeConfig).exec('default', 'p', 'compute', ['cat'], stdout, new PassThrough(), Readable.from(['hello']), false, resolve).catch(reject);
      });
      expect(received).toEqual(['hello']);
      expect(out()).toBe('HELLO');
    } finally {
      await echo.simulator.close();
    }
  });

  it('given an unknown command or container, when run, then exit code 127 / a 400 before the upgrade', async () => {
    expect((await exec(['bash', '-c', 'true'])).status).toMatchObject({ status: 'Failure', details: { causes: [{ message: '127' }] } });
    await expect(new Exec(fixture.kubeConfig).exec(ns, podName, 'nope', ['virsh', 'list'], new PassThrough(), new PassThrough(), null, false)).rejects.toBeDefined();
  });
});
