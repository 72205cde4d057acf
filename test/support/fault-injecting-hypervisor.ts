import type { HypervisorOperation, HypervisorPort } from '../../src/adapters/libvirt/hypervisor.port.js';
import { FaultInjector } from '../../src/adapters/simulation/fault-injector.js';

/**
 * A real hypervisor adapter behind the same fault injection the simulation has, so the contract's
 * retry cases (a call refused, a reply lost, a call held) run against real libvirt: the retry that
 * follows a lost reply meets the change already made. Real outages (libvirtd stopped) are tested
 * without it, in test/integration/libvirt.
 */
export function withFaults(inner: HypervisorPort): { hypervisor: HypervisorPort; faults: FaultInjector<HypervisorOperation> } {
  const faults = new FaultInjector<HypervisorOperation>();
  const key = (ref: { node: string; vmId: string }) => `${ref.node}/${ref.vmId}`;
  const hypervisor: HypervisorPort = {
    getDomain: (ref) => faults.intercept('getDomain', key(ref), () => inner.getDomain(ref)),
    getDomainXml: (ref, which) => faults.intercept('getDomainXml', key(ref), () => inner.getDomainXml(ref, which)),
    setVcpus: (ref, count, scope) => faults.intercept('setVcpus', key(ref), () => inner.setVcpus(ref, count, scope)),
    setMemory: (ref, memoryMiB, scope) => faults.intercept('setMemory', key(ref), () => inner.setMemory(ref, memoryMiB, scope)),
    getMigrationJob: (ref) => faults.intercept('getMigrationJob', key(ref), () => inner.getMigrationJob(ref)),
    watchDomains: (listener) => inner.watchDomains(listener),
  };
  return { hypervisor, faults };
}
