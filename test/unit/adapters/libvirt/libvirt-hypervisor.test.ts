import { TemplateDomainResolver } from '../../../../src/adapters/libvirt/domain-resolver.js';
import { LibvirtHypervisor } from '../../../../src/adapters/libvirt/libvirt-hypervisor.js';
import type { CommandResult, CommandRunner } from '../../../../src/adapters/process/command-runner.js';

/** A transport that answers as virsh 9.0.0 did for a running test-driver domain, and records what it was asked. */
class CannedVirsh implements CommandRunner {
  readonly calls: string[][] = [];
  /** The balloon's reading, KiB, per dominfo (the last one stays): a guest still deflating it. */
  usedMemoryKiB = [4194304];
  constructor(private readonly state = 'running') {}

  async run(argv: readonly string[]): Promise<CommandResult> {
    this.calls.push([...argv]);
    const command = argv[4];
    if (command === 'setmem') return { exitCode: 0, stdout: '', stderr: '' };
    if (command === 'dominfo') {
      const used = this.usedMemoryKiB.length > 1 ? this.usedMemoryKiB.shift()! : this.usedMemoryKiB[0]!;
      const out = `Id:             2\nName:           x\nState:          ${this.state}\nCPU(s):         4\nMax memory:     8388608 KiB\nUsed memory:    ${used} KiB\nPersistent:     yes\n`;
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

  it('given a balloon that reads back on its way, when memory is set, then the adapter reads again until it shows the new size', async () => {
    const runner = new CannedVirsh();
    runner.usedMemoryKiB = [4194304, 4194304, 5000000, 6291456];
    const hypervisor = new LibvirtHypervisor({ runner, resolver });
    await hypervisor.setMemory({ vmId: 'a', node: 'n' }, 6144);
    expect(runner.calls.filter((argv) => argv[4] === 'setmem')).toHaveLength(1);
  });

  it('given a size that never reads back, when memory is set, then it fails NotApplied (retryable) once the settle time is over', async () => {
    const runner = new CannedVirsh();
    const hypervisor = new LibvirtHypervisor({ runner, resolver, readBackSettleMs: 250 });
    await expect(hypervisor.setMemory({ vmId: 'a', node: 'n' }, 6144)).rejects.toMatchObject({ code: 'NotApplied', retryable: true });
  });

  it('given a state virsh names that we do not know, when read, then it fails permanent rather than guessing', async () => {
    const hypervisor = new LibvirtHypervisor({ runner: new CannedVirsh('no state'), resolver });
    await expect(hypervisor.getDomain({ vmId: 'a', node: 'n' })).rejects.toMatchObject({ code: 'LibvirtError', retryable: false });
  });
});
