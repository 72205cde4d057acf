import { randomUUID } from 'node:crypto';
import type { VmSpec } from '../../../src/adapters/kubernetes/cluster.port.js';
import { loadKubeConfig } from '../../../src/adapters/kubernetes/kubevirt/kube-config.js';
import { onKubevirt } from '../../../src/app/infrastructure.js';
import { startClusterSimulator, type ClusterSimulator } from '../../../src/cluster-simulator/cluster-simulator.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { eventually } from '../../support/eventually.js';

/** The virsh arguments of every exec the simulator received (the command travels in the query). */
function execCommands(simulator: ClusterSimulator): string[][] {
  return simulator.control.requests()
    .filter((r) => /\/pods\/[^/]+\/exec\?/.test(r.path))
    .map((r) => new URL(r.path, 'http://sim').searchParams.getAll('command'));
}

const domainArgument = (argv: string[]): string | undefined => argv[argv.indexOf('--domain') + 1];

/**
 * libvirt reached the way the service reaches it on KubeVirt (src/app/infrastructure.ts onKubevirt):
 * virsh through exec into the VM's launcher pod, naming the domain as virt-launcher defines it,
 * `<cluster namespace>_<vmi>`, with the project's namespace mapped by NAMESPACE_TEMPLATE.
 */
describe('the libvirt adapter through a KubeVirt launcher pod: KubeVirt\'s domain names', () => {
  let simulator: ClusterSimulator;
  let adapters: ReturnType<typeof onKubevirt>;

  beforeAll(async () => {
    simulator = await startClusterSimulator({ nodes: [{ name: 'node-a', cpu: 16, memoryMiB: 32768 }], stepMs: 5 });
    const config = loadConfig({ DATA_DIR: '/nonexistent', NAMESPACE_TEMPLATE: 'prod-{namespace}' });
    adapters = onKubevirt(loadKubeConfig({ kind: 'text', yaml: simulator.kubeconfig() }), config);
  });
  afterAll(async () => {
    adapters?.hypervisor.close();
    await simulator?.close();
  });

  it('given a running VM in a mapped namespace, when its domain is read and resized, then every virsh call names <cluster namespace>_<vmi> in that VM\'s launcher pod', async () => {
    const vmId = randomUUID();
    const spec: VmSpec = {
      ref: { namespace: 'vp-project-a', name: `vm-${vmId}` },
      vmId,
      projectId: 'project-a',
      cpu: { sockets: 2, maxSockets: 8 },
      memory: { guestMiB: 1024, maxGuestMiB: 4096 },
      image: 'docker://quay.io/containerdisks/fedora:41',
      userData: null,
      runStrategy: 'Always',
      labels: {},
    };
    await adapters.cluster.ensureVm(spec);
    const running = await eventually(async () => {
      const vm = await adapters.cluster.getVm(spec.ref);
      if (vm?.printableStatus !== 'Running' || !vm.node) throw new Error(`VM is ${vm?.printableStatus}`);
      return vm;
    }, 15_000);
    simulator.control.clearRequests();

    const ref = { vmId, node: running.node! };
    expect(await adapters.hypervisor.getDomain(ref)).toMatchObject({ state: 'running', vcpus: { current: 2, max: 8 }, memoryMiB: { current: 1024 } });
    await adapters.hypervisor.setVcpus(ref, 3);
    expect((await adapters.hypervisor.getDomain(ref))?.vcpus.current).toBe(3);

    const kubevirtName = `prod-vp-project-a_vm-${vmId}`;
    const commands = execCommands(simulator);
    expect(commands.some((argv) => argv.includes('setvcpus'))).toBe(true);
    expect(commands.map(domainArgument)).toEqual(commands.map(() => kubevirtName));
    const execPaths = simulator.control.requests().filter((r) => r.path.includes('/exec?')).map((r) => new URL(r.path, 'http://sim').pathname);
    expect(new Set(execPaths.map((p) => p.split('/pods/')[0]))).toEqual(new Set(['/api/v1/namespaces/prod-vp-project-a']));
  });

  it('given a vmId no VirtualMachine carries, when its domain is read, then it is absent (no domain, no exec)', async () => {
    simulator.control.clearRequests();
    expect(await adapters.hypervisor.getDomain({ vmId: randomUUID(), node: 'node-a' })).toBeNull();
    expect(execCommands(simulator)).toEqual([]);
  });
});
