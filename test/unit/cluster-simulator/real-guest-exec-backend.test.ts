import type { ExecBackend } from '../../../src/cluster-simulator/exec/exec-backend.js';
import { RealGuestExecBackend } from '../../../src/cluster-simulator/exec/real-guest-exec-backend.js';
import { realGuestDomainXml } from '../../../src/cluster-simulator/exec/real-guest-domain-xml.js';
import type { VirshCommands, VirshResult } from '../../../src/cluster-simulator/exec/real-virsh.js';

const options = { uri: 'qemu:///system?socket=/tmp/vprg-x/sock/libvirt-sock', node: 'node-1', kernel: '/k', initrd: '/i', serialDir: '/s' };
const pod = { namespace: 'vp-p', name: 'virt-launcher-vm-1-abcde', labels: { 'vm.kubevirt.io/name': 'vm-1' }, nodeName: 'node-1' };

/** Records what reaches the real libvirtd and answers with `reply`. */
function setup(reply: (args: readonly string[]) => VirshResult = () => ({ exitCode: 0, stdout: '', stderr: '' })) {
  const sent: string[][] = [];
  const virsh: VirshCommands = {
    run: async (args) => {
      sent.push([...args]);
      return reply(args);
    },
    check: async () => '',
  };
  const modelled: string[][] = [];
  const fallback: ExecBackend = {
    run: async (_pod, _container, command) => {
      modelled.push(command);
      return { exitCode: 0, stdout: 'model\n', stderr: '' };
    },
  };
  return { sent, modelled, backend: new RealGuestExecBackend(options, fallback, virsh) };
}

describe('the real-guest exec backend (launcher pods on the real-guest node)', () => {
  it('given the adapter\'s virsh with its own URI on <namespace>_<vmi>, then the real libvirtd gets the command without the URI', async () => {
    const { backend, sent } = setup();
    await backend.run(pod, 'compute', ['virsh', '-q', '-c', 'qemu+unix:///session?socket=/var/run/libvirt/virtqemud-sock', 'dominfo', '--domain', 'vp-p_vm-1']);
    await backend.run(pod, 'compute', ['virsh', '--connect=qemu:///x', 'setvcpus', 'vp-p_vm-1', '2', '--live']);
    await backend.run(pod, 'compute', ['virsh', 'setmem', '--domain=vp-p_vm-1', '--size', '524288KiB', '--live']);
    expect(sent).toEqual([
      ['-q', 'dominfo', '--domain', 'vp-p_vm-1'],
      ['setvcpus', 'vp-p_vm-1', '2', '--live'],
      ['setmem', '--domain=vp-p_vm-1', '--size', '524288KiB', '--live'],
    ]);
  });

  it('given another domain\'s name or the VMI\'s bare name, then libvirt\'s "failed to get domain" and nothing reaches libvirtd', async () => {
    const { backend, sent } = setup();
    const result = await backend.run(pod, 'compute', ['virsh', 'dominfo', 'vp-p_vm-2']);
    expect(result).toEqual({ exitCode: 1, stdout: '', stderr: "error: failed to get domain 'vp-p_vm-2'\n" });
    expect(await backend.run(pod, 'compute', ['virsh', 'dominfo', '--domain', 'vm-1'])).toEqual({ exitCode: 1, stdout: '', stderr: "error: failed to get domain 'vm-1'\n" });
    expect(sent).toEqual([]);
  });

  it('given list, then only the pod\'s own domain shows (names or table)', async () => {
    const { backend } = setup((args) => ({
      exitCode: 0,
      stderr: '',
      stdout: args.includes('--name')
        ? 'vp-p_vm-1\nvp-p_vm-2\n\n'
        : ' Id   Name        State\n---------------------------\n 1    vp-p_vm-1   running\n 2    vp-p_vm-2   running\n\n',
    }));
    expect((await backend.run(pod, 'compute', ['virsh', 'list', '--name'])).stdout).toBe('vp-p_vm-1\n\n');
    expect((await backend.run(pod, 'compute', ['virsh', 'list', '--all'])).stdout).toBe(' Id   Name        State\n---------------------------\n 1    vp-p_vm-1   running\n\n');
  });

  it('given a pod on another node, then the guest model answers; another container or binary is not found', async () => {
    const { backend, sent, modelled } = setup();
    expect((await backend.run({ ...pod, nodeName: 'node-2' }, 'compute', ['virsh', 'dominfo', 'vm-1'])).stdout).toBe('model\n');
    expect(modelled).toEqual([['virsh', 'dominfo', 'vm-1']]);
    expect((await backend.run(pod, 'sidecar', ['virsh', 'list'])).exitCode).toBe(127);
    expect((await backend.run(pod, 'compute', ['qemu-img', 'info'])).exitCode).toBe(127);
    expect(sent).toEqual([]);
  });
});

describe('the real guest\'s domain XML', () => {
  it('given a VMI of 1 of 4 vCPUs and 256 of 640 MiB, then TCG, a balloon holding 256 of 640 MiB, room for DIMMs, a NUMA cell and the serial log', () => {
    const xml = realGuestDomainXml({ name: 'vp-p_vm-1', description: 'VMI u&1', vcpus: 1, maxVcpus: 4, memoryMiB: 256, maxMemoryMiB: 640, kernel: "/k'1", initrd: '/i', serialLog: '/s/vp-p_vm-1.log' });
    expect(xml).toContain("<domain type='qemu'>");
    expect(xml).toContain("<vcpu placement='static' current='1'>4</vcpu>");
    expect(xml).toContain("<memory unit='MiB'>640</memory>");
    expect(xml).toContain("<currentMemory unit='MiB'>256</currentMemory>");
    expect(xml).toContain("<maxMemory slots='4' unit='MiB'>1664</maxMemory>");
    expect(xml).toContain("<cell id='0' cpus='0-3' memory='640' unit='MiB'/>");
    expect(xml).toContain("<memballoon model='virtio'>");
    expect(xml).toContain("<source path='/s/vp-p_vm-1.log'/>");
    expect(xml).toContain('<kernel>/k&apos;1</kernel>');
    expect(xml).toContain('<description>VMI u&amp;1</description>');
  });
});
