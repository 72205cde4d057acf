import { jest } from '@jest/globals';
import { GuestDomains } from '../../../src/cluster-simulator/exec/guest-domains.js';
import { RealGuestLauncher } from '../../../src/cluster-simulator/exec/real-guest-launcher.js';
import type { VirshCommands, VirshResult } from '../../../src/cluster-simulator/exec/real-virsh.js';
import type { KubeObject } from '../../../src/cluster-simulator/store/kube-object.js';
import type { ResourceService } from '../../../src/cluster-simulator/store/resource-service.js';

const options = { uri: 'qemu:///system', node: 'node-1', kernel: '/k', initrd: '/i', serialDir: '/s' };
const MAC = '02:00:00:1e:00:0f';

/** A running VMI on the real-guest node listing dyn1 from the pod's network status only. */
const vmi = {
  apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'vm-1', namespace: 'vp-p', uid: 'uid-1' },
  spec: { domain: { devices: { interfaces: [{ name: 'default', bridge: {} }, { name: 'dyn1', bridge: {} }] } } },
  status: {
    phase: 'Running', nodeName: 'node-1',
    interfaces: [
      { name: 'default', podInterfaceName: 'eth0', mac: '02:00:00:0a:10:01', infoSource: 'domain, guest-agent, multus-status' },
      { name: 'dyn1', podInterfaceName: 'pod16367aacb67', mac: MAC, infoSource: 'multus-status' },
    ],
  },
} as unknown as KubeObject;

/** libvirt with one running domain of this VMI; attach-interface fails while `refuse` is set. */
function libvirt() {
  const state = { refuse: true, macs: [] as string[] };
  const answer = (args: readonly string[]): VirshResult => {
    const verb = args[1];
    if (verb === 'list') return { exitCode: 0, stdout: ' 1    vp-p_vm-1   running\n', stderr: '' };
    if (verb === 'desc') return { exitCode: 0, stdout: 'virtplane cluster simulator: VMI uid-1\n', stderr: '' };
    if (verb === 'domiflist') return { exitCode: 0, stdout: state.macs.map((m, i) => ` vnet${i}   bridge   br0   virtio   ${m}`).join('\n'), stderr: '' };
    if (verb === 'attach-interface') {
      if (state.refuse) return { exitCode: 1, stdout: '', stderr: 'error: Failed to attach interface\n' };
      state.macs.push(args[args.indexOf('--mac') + 1]!);
    }
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  const virsh: VirshCommands = {
    run: async (args) => answer(args),
    check: async (args) => {
      const result = answer(args);
      if (result.exitCode !== 0) throw new Error(result.stderr);
      return result.stdout;
    },
  };
  return { state, virsh };
}

describe('the real-guest launcher: a NIC is in the VMI domain once libvirt has it', () => {
  it('given dyn1 listed from multus-status, when libvirt refuses the attach, then the domain record keeps the primary only; once libvirt has it, dyn1 too', async () => {
    const service = { list: () => [vmi], find: () => vmi } as unknown as ResourceService;
    const domains = new GuestDomains();
    domains.ensure('vp-p', 'vm-1', { vcpus: 1, maxVcpus: 1, memoryKiB: 1024, maxMemoryKiB: 1024 }).nics = ['default'];
    const { state, virsh } = libvirt();
    const launcher = new RealGuestLauncher(service, domains, options, virsh);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await launcher.tick();
      expect(launcher.errors).toEqual([expect.stringContaining('Failed to attach interface')]);
      expect(domains.get('vp-p', 'vm-1')?.nics).toEqual(['default']);

      state.refuse = false;
      await launcher.tick();
      expect(state.macs).toEqual([MAC]);
      expect(domains.get('vp-p', 'vm-1')?.nics).toEqual(['default', 'dyn1']);
    } finally {
      stderr.mockRestore();
    }
  });
});
