import { GuestDomains } from '../../../src/cluster-simulator/exec/guest-domains.js';
import { GuestModelExecBackend } from '../../../src/cluster-simulator/exec/guest-model.js';
import { parseDomjobinfo } from '../../../src/adapters/libvirt/domain-job.js';

describe('built-in guest model (virsh)', () => {
  const pod = { namespace: 'a', name: 'virt-launcher-web-01-abcde', labels: { 'vm.kubevirt.io/name': 'web-01' } };
  const setup = () => {
    const domains = new GuestDomains();
    domains.ensure('a', 'web-01', { vcpus: 2, maxVcpus: 8, memoryKiB: 1048576, maxMemoryKiB: 4194304 });
    domains.ensure('a', 'other', { vcpus: 1, maxVcpus: 1, memoryKiB: 1024, maxMemoryKiB: 1024 });
    return { domains, backend: new GuestModelExecBackend(domains) };
  };

  it('given its pod, when listing, then only the pod\'s own domain shows', async () => {
    const { backend } = setup();
    expect((await backend.run(pod, 'compute', ['virsh', 'list', '--name'])).stdout.trim()).toBe('a_web-01');
    expect((await backend.run(pod, 'compute', ['virsh', 'dominfo', 'a_other'])).exitCode).toBe(1);
    expect((await backend.run(pod, 'compute', ['virsh', 'dominfo', 'web-01'])).stderr).toBe("error: failed to get domain 'web-01'\n");
  });

  it('given setvcpus and setmem, when within and beyond the maximums, then applied or refused with libvirt\'s messages', async () => {
    const { backend, domains } = setup();
    expect((await backend.run(pod, 'compute', ['virsh', 'setvcpus', 'a_web-01', '6', '--live'])).exitCode).toBe(0);
    expect(domains.get('a', 'web-01')!.vcpus.current).toBe(6);
    expect((await backend.run(pod, 'compute', ['virsh', 'setvcpus', 'a_web-01', '0'])).stderr).toBe('error: Invalid number of virtual CPUs\n');
    expect((await backend.run(pod, 'compute', ['virsh', 'setmem', 'a_web-01', '3G', '--live'])).exitCode).toBe(0);
    expect(domains.get('a', 'web-01')!.memoryKiB.current).toBe(3145728);
    expect((await backend.run(pod, 'compute', ['virsh', 'setmem', 'a_web-01', '8G'])).stderr).toContain('cannot set memory higher than max memory');
    expect((await backend.run(pod, 'compute', ['virsh', 'vcpucount', 'a_web-01', '--maximum', '--live'])).stdout).toBe('8\n');
  });

  it('given suspend and resume, when run, then domstate follows; another container has no virsh', async () => {
    const { backend } = setup();
    await backend.run(pod, 'compute', ['virsh', 'suspend', 'a_web-01']);
    expect((await backend.run(pod, 'compute', ['virsh', '--connect', 'qemu:///system', 'domstate', 'a_web-01'])).stdout.trim()).toBe('paused');
    expect((await backend.run(pod, 'compute', ['virsh', 'resume', 'a_web-01'])).exitCode).toBe(0);
    expect((await backend.run(pod, 'sidecar', ['virsh', 'list'])).exitCode).toBe(127);
  });

  it('given no migration, when domjobinfo is asked, then "Job type: None", which the adapter reads as no job', async () => {
    const { backend } = setup();
    const out = await backend.run(pod, 'compute', ['virsh', '-q', '-c', 'qemu:///system', 'domjobinfo', '--domain', 'a_web-01']);
    expect(out).toMatchObject({ exitCode: 0, stdout: 'Job type:         None        \n\n' });
    expect(parseDomjobinfo(out.stdout)).toBeNull();
  });

  it('given a migration copying its memory, when domjobinfo is asked on the source and the target, then the source shows the outgoing job in virsh\'s units and the target its incoming side', async () => {
    const { backend, domains } = setup();
    const total = 1048576 * 1024;
    domains.get('a', 'web-01')!.migrationJob = { sourceNode: 'node-1', startedAtMs: Date.now(), memoryTotalBytes: total, memoryProcessedBytes: total * 0.375, memoryRemainingBytes: total * 0.625 };
    const source = await backend.run({ ...pod, nodeName: 'node-1' }, 'compute', ['virsh', 'domjobinfo', 'a_web-01']);
    expect(source.stdout).toContain('Memory processed: 384.000 MiB\nMemory remaining: 640.000 MiB\nMemory total:     1.000 GiB\n');
    expect(parseDomjobinfo(source.stdout)).toEqual({ memoryTotalBytes: total, memoryProcessedBytes: total * 0.375, memoryRemainingBytes: total * 0.625 });
    const target = await backend.run({ ...pod, name: 'virt-launcher-web-01-fghij', nodeName: 'node-2' }, 'compute', ['virsh', 'domjobinfo', 'a_web-01']);
    expect(target.stdout).toContain('Operation:        Incoming migration');
    expect(parseDomjobinfo(target.stdout)).toBeNull();
  });
});
