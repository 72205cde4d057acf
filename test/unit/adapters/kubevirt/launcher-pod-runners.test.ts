import { PermanentAdapterError } from '../../../../src/adapters/adapter-errors.js';
import type { VmRef } from '../../../../src/adapters/kubernetes/cluster.port.js';
import { LauncherDomainResolver } from '../../../../src/adapters/kubernetes/kubevirt/launcher-domain-resolver.js';
import { LauncherPodRunners, type LauncherPodCluster } from '../../../../src/adapters/kubernetes/kubevirt/launcher-pod-runners.js';
import type { CommandRunner } from '../../../../src/adapters/process/command-runner.js';

/** A cluster with fixed VMs whose runners echo where they ran, counting the lists. */
function clusterWith(vms: Array<{ ref: VmRef; vmId: string }>) {
  const seen = { lists: 0, ran: [] as string[] };
  const cluster: LauncherPodCluster = {
    listVms: async () => {
      seen.lists += 1;
      return vms;
    },
    commandRunner: (ref: VmRef): CommandRunner => ({
      run: async (argv) => {
        seen.ran.push(`${ref.namespace}/${ref.name}: ${argv.join(' ')}`);
        return { exitCode: 0, stdout: 'ok', stderr: '' };
      },
    }),
    // as KubevirtCluster under NAMESPACE_TEMPLATE=prod-{namespace}
    domainName: (ref: VmRef) => `prod-${ref.namespace}_${ref.name}`,
  };
  return { cluster, seen };
}

describe('LauncherPodRunners', () => {
  it('given a VM with our id, when a command runs for it, then it runs in that VM\'s launcher pod', async () => {
    const { cluster, seen } = clusterWith([{ ref: { namespace: 'vp-a', name: 'vm-1' }, vmId: '1' }, { ref: { namespace: 'vp-b', name: 'vm-2' }, vmId: '2' }]);
    const result = await new LauncherPodRunners(cluster).runnerFor('2').run(['virsh', 'list']);
    expect(result).toEqual({ exitCode: 0, stdout: 'ok', stderr: '' });
    expect(seen.ran).toEqual(['vp-b/vm-2: virsh list']);
  });

  it('given a VM found once, when more commands run for it, then the cluster is listed only once', async () => {
    const { cluster, seen } = clusterWith([{ ref: { namespace: 'vp-a', name: 'vm-1' }, vmId: '1' }]);
    const runners = new LauncherPodRunners(cluster);
    await runners.runnerFor('1').run(['virsh', 'dominfo', 'vm-1']);
    await runners.runnerFor('1').run(['virsh', 'dumpxml', 'vm-1']);
    expect(seen.lists).toBe(1);
    expect(seen.ran).toHaveLength(2);
  });

  it('given no VM with that id, when a command runs, then it is the port\'s DomainNotFound and nothing runs', async () => {
    const { cluster, seen } = clusterWith([]);
    const error = await new LauncherPodRunners(cluster).runnerFor('9').run(['virsh', 'list']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentAdapterError);
    expect((error as PermanentAdapterError).code).toBe('DomainNotFound');
    expect(seen.ran).toEqual([]);
  });

  it('given a VM, when its domain name is asked, then it is KubeVirt\'s <cluster namespace>_<vmi>, found with the same one lookup as its runner', async () => {
    const { cluster, seen } = clusterWith([{ ref: { namespace: 'vp-a', name: 'vm-1' }, vmId: '1' }]);
    const runners = new LauncherPodRunners(cluster);
    expect(await runners.domainNameOf('1')).toBe('prod-vp-a_vm-1');
    await runners.runnerFor('1').run(['virsh', 'dominfo', '--domain', 'prod-vp-a_vm-1']);
    expect(seen.lists).toBe(1);
  });

  it('given no VM with that id, when its domain name is asked, then DomainNotFound', async () => {
    const { cluster } = clusterWith([]);
    await expect(new LauncherPodRunners(cluster).domainNameOf('9')).rejects.toMatchObject({ code: 'DomainNotFound' });
  });
});

describe('LauncherDomainResolver', () => {
  const resolver = new LauncherDomainResolver({ domainNameOf: async (vmId) => `prod-vp-a_vm-${vmId}` }, 'qemu+unix:///session?socket=/var/run/libvirt/virtqemud-sock');

  it('given any node, when located, then the launcher pod\'s own libvirt URI and the name the runners give', async () => {
    expect(resolver.uri()).toBe('qemu+unix:///session?socket=/var/run/libvirt/virtqemud-sock');
    expect(await resolver.domainName({ vmId: 'abc', node: 'node-1' })).toBe('prod-vp-a_vm-abc');
  });

  it('given a domain name from libvirt, when reversed, then KubeVirt names of our VMs give their vmId and others null', () => {
    expect(resolver.vmIdOf('prod-vp-a_vm-0193a5d2-7c1e-7000-8000-000000000001')).toBe('0193a5d2-7c1e-7000-8000-000000000001');
    expect(resolver.vmIdOf('vm-abc')).toBeNull();
    expect(resolver.vmIdOf('kube-system_etcd')).toBeNull();
  });
});
