import type { VmRef, VmSpec } from '../../../adapters/kubernetes/cluster.port.js';
import type { VirtualMachine } from '../../../domain/virtual-machine/virtual-machine.state.js';

/**
 * Where a VM lives in the cluster: a namespace per project, the object named after our id (a
 * DNS-1123 label: 'vm-' and a UUID stay within 63 characters).
 */
export function vmRef(vm: Pick<VirtualMachine, 'id' | 'projectId'>): VmRef {
  const project = vm.projectId.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
  return { namespace: `vp-${project}`.slice(0, 63).replace(/-+$/, ''), name: `vm-${vm.id}`.toLowerCase() };
}

/** The VirtualMachine object for a VM: its flavor as sockets/memory, and the flavor's headroom as the hotplug maxima. */
export function vmSpec(vm: VirtualMachine): VmSpec {
  return {
    ref: vmRef(vm),
    vmId: vm.id,
    projectId: vm.projectId,
    cpu: { sockets: vm.flavor.vcpus, maxSockets: vm.flavor.maxVcpus },
    memory: { guestMiB: vm.flavor.ramMb, maxGuestMiB: vm.flavor.maxRamMb },
    image: vm.imageSource,
    // User data is a secret and never stored in events; it reaches the cluster through a secret
    // store that the API issue adds. Until then VMs boot without it.
    userData: null,
    runStrategy: 'Always',
    labels: { 'virtplane.io/flavor': vm.flavor.name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 63) },
  };
}
