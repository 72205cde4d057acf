import { TemplateDomainResolver } from '../../../../src/adapters/libvirt/domain-resolver.js';
import { LibvirtHypervisor } from '../../../../src/adapters/libvirt/libvirt-hypervisor.js';
import type { CommandResult, CommandRunner } from '../../../../src/adapters/process/command-runner.js';

/** A transport that answers as virsh 9.0.0 did for a running test-driver domain, and records what it was asked. */
class CannedVirsh implements CommandRunner {
  readonly calls: string[][] = [];
  constructor(private readonly state = 'running') {}

  async run(argv: readonly string[]): Promise<CommandResult> {
    this.calls.push([...argv]);
    const command = argv[4];
    if (command === 'dominfo') {
      const out = `Id:             2\nName:           x\nState:          ${this.state}\nCPU(s):         4\nMax memory:     8388608 KiB\nUsed memory:    4194304 KiB\nPersistent:     yes\n`;
      return { exitCode: 0, stdout: out, stderr: '' };
    }
    if (command === 'dumpxml') {
      const out = "<domain type='test'><name>x</name><memory unit='KiB'>8388608</memory><currentMemory unit='KiB'>2097152</currentMemory><vcpu placement='static' current='2'>8</vcpu></domain>\n";
      return { exitCode: 0, stdout: out, stderr: '' };
    }
    return { exitCode: 1, stdout: '', stderr: `error: unexpected ${command}\n` };
  }
}

describe('LibvirtHypervisor', () => {
  const resolver = new TemplateDomainResolver({ uriTemplate: 'qemu+tls://{node}/system', nameTemplate: 'ns_vm-{vmId}' });

  it('given dominfo and the inactive XML, when a domain is read, then live sizes come from dominfo and the config and vCPU maximum from the XML', async () => {
    const runner = new CannedVirsh();
    const hypervisor = new LibvirtHypervisor({ runner, resolver });
    expect(await hypervisor.getDomain({ vmId: 'a', node: 'edge-1' })).toEqual({
      ref: { vmId: 'a', node: 'edge-1' },
      state: 'running',
      vcpus: { current: 4, max: 8 },
      memoryMiB: { current: 4096, max: 8192 },
      persistent: { vcpus: 2, memoryMiB: 2048 },
      guest: null,
    });
    expect(runner.calls).toContainEqual(['virsh', '-q', '-c', 'qemu+tls://edge-1/system', 'dominfo', '--domain', 'ns_vm-a']);
  });

  it('given a transport per VM (exec into its launcher pod), when called, then that VM\'s calls go through it and not the default', async () => {
    const shared = new CannedVirsh();
    const perVm = new Map([['a', new CannedVirsh()], ['b', new CannedVirsh('idle')]]);
    const hypervisor = new LibvirtHypervisor({ runner: shared, resolver, runnerFor: (ref) => perVm.get(ref.vmId)! });
    expect((await hypervisor.getDomain({ vmId: 'b', node: 'edge-1' }))?.state).toBe('blocked');
    await hypervisor.setVcpus({ vmId: 'a', node: 'edge-1' }, 4);
    expect(shared.calls).toHaveLength(0);
    expect(perVm.get('a')!.calls.every((argv) => argv.includes('ns_vm-a'))).toBe(true);
    expect(perVm.get('a')!.calls.some((argv) => argv.includes('setvcpus'))).toBe(false);
  });

  it('given a state virsh names that we do not know, when read, then it fails permanent rather than guessing', async () => {
    const hypervisor = new LibvirtHypervisor({ runner: new CannedVirsh('no state'), resolver });
    await expect(hypervisor.getDomain({ vmId: 'a', node: 'n' })).rejects.toMatchObject({ code: 'LibvirtError', retryable: false });
  });
});
