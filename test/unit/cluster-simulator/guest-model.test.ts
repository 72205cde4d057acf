import { GuestDomains } from '../../../src/cluster-simulator/exec/guest-domains.js';
import { GuestModelExecBackend } from '../../../src/cluster-simulator/exec/guest-model.js';

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
  });

  it('given setvcpus and setmem, when within and beyond the maximums, then applied or refused with libvirt\'s messages', async () => {
    const { backend, domains } = setup();
    expect((await backend.run(pod, 'compute', ['virsh', 'setvcpus', 'a_web-01', '6', '--live'])).exitCode).toBe(0);
    expect(domains.get('a', 'web-01')!.vcpus.current).toBe(6);
    expect((await backend.run(pod, 'compute', ['virsh', 'setvcpus', 'web-01', '0'])).stderr).toBe('error: Invalid number of virtual CPUs\n');
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
});
