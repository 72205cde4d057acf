import { TemplateDomainResolver } from '../../../src/adapters/libvirt/domain-resolver.js';
import { LibvirtHypervisor } from '../../../src/adapters/libvirt/libvirt-hypervisor.js';
import { LocalCommandRunner } from '../../../src/adapters/process/local-command-runner.js';
import { withFaults } from '../../support/fault-injecting-hypervisor.js';
import { privateLibvirtdOrSkip } from '../../support/libvirt-daemon.js';
import { putDomain, removeDomain } from '../../support/libvirt-domains.js';
import { hypervisorContract } from './hypervisor.contract.js';

// The real adapter, speaking virsh as a local process to a private libvirtd hosting the test driver.
const daemon = await privateLibvirtdOrSkip('the libvirt hypervisor contract');
afterAll(() => daemon?.dispose());

if (daemon) {
  const node = 'node-libvirt';
  const resolver = new TemplateDomainResolver({ uriTemplate: daemon.uri, nameTemplate: 'vp-{vmId}' });
  const name = (ref: { vmId: string; node: string }) => resolver.domainName(ref);

  hypervisorContract('libvirt (virsh, test driver)', async () => {
    const adapter = new LibvirtHypervisor({ runner: new LocalCommandRunner(), resolver, watchNodes: [node], pollIntervalMs: 1_000 });
    const { hypervisor, faults } = withFaults(adapter);
    return {
      hypervisor,
      node,
      faults,
      startDomain: (definition) => putDomain(daemon, name(definition.ref), definition),
      shutOffDomain: async (ref) => void (await daemon.virsh('destroy', name(ref))),
      removeDomain: (ref) => removeDomain(daemon, name(ref)),
      dispose: async () => {
        faults.clear();
        adapter.close();
      },
    };
    // The test driver has no virDomainGetJobStats; the parser is unit-tested on qemu's output instead.
  }, { migrationJobs: false });
} else {
  it.skip('libvirt hypervisor contract: libvirtd or virsh is not installed, skipped only outside CI (under CI=true it runs and fails)', () => undefined);
}
