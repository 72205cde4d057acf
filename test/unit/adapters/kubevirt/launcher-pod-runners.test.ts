import { PermanentAdapterError } from '../../../../src/adapters/adapter-errors.js';
import type { VmRef } from '../../../../src/adapters/kubernetes/cluster.port.js';
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
});
