import { PermanentAdapterError } from '../../../adapters/adapter-errors.js';
import type { LiveChangeClusterPort, NetworkAttachmentRef, NicSpec } from '../../../adapters/kubernetes/cluster.port.js';
import type { FabricPort, LogicalSwitchSpec } from '../../../adapters/ovs/fabric.port.js';
import type { PortCommand } from '../../../domain/port/port.commands.js';
import type { PortState } from '../../../domain/port/port.state.js';
import type { VmInterface } from '../../../domain/virtual-machine/interface-attachment.js';
import type { CommandMetadata } from '../../shared/command-metadata.js';
import { networkAttachmentRef } from '../../networking/network-attachment-spec.js';
import type { StepContext } from './step-context.js';

/**
 * What the AttachNic / DetachNic steps drive: the port's stream (through the networking handlers),
 * the fabric, and the cluster's NIC hotplug.
 */
export interface NicStepPorts {
  /** null where the cluster adapter cannot hotplug NICs (see supportsNicHotplug): those steps fail with NotSupported. */
  cluster: LiveChangeClusterPort | null;
  fabric: FabricPort;
  /** A command on the port's stream (bind, confirm, fail, unbind). */
  port(command: PortCommand, meta: CommandMetadata): Promise<unknown>;
  loadPort(portId: string): Promise<PortState>;
  /** The Neutron delete: the port, then its addresses and its MAC released. */
  deletePort(portId: string, meta: CommandMetadata): Promise<unknown>;
  /** The network's logical switch as its subnets define it. */
  switchFor(networkId: string): Promise<LogicalSwitchSpec>;
  /**
   * Makes sure the network's NetworkAttachmentDefinition and Kube-OVN Subnet are in the cluster (the
   * reconciler does it when the network changes; a NIC plugged right after must not wait for it) and
   * says where the NAD is. Absent: the NAD is only named (in the network's project's namespace).
   */
  networkAttachment?(networkId: string): Promise<NetworkAttachmentRef>;
}

export function nicPorts(ctx: StepContext): NicStepPorts {
  if (!ctx.nics) throw new PermanentAdapterError('NotSupported', 'This deployment has no fabric wired for NIC hotplug.');
  return ctx.nics;
}

/** The cluster's hotplug, or the step fails: this deployment's cluster adapter cannot plug NICs. */
export function hotplugCluster(ctx: StepContext): LiveChangeClusterPort {
  const cluster = nicPorts(ctx).cluster;
  if (!cluster) throw new PermanentAdapterError('NotSupported', 'The cluster adapter of this deployment cannot hot-plug NICs into VMs.');
  return cluster;
}

/** The port the running attach or detach task plugs or unplugs, from the task's own events. */
export function taskNic(ctx: StepContext): VmInterface {
  if (!ctx.vm.nic) throw new PermanentAdapterError('Invalid', `VM ${ctx.vm.id} runs no interface attach or detach`);
  return ctx.vm.nic;
}

export function stepMeta(ctx: StepContext): CommandMetadata {
  if (!ctx.meta) throw new PermanentAdapterError('Invalid', 'A port step needs the job\'s command metadata');
  return ctx.meta;
}

/** Where the network's NAD is, made sure of where the deployment can. */
export async function attachmentFor(ctx: StepContext, nic: VmInterface): Promise<NetworkAttachmentRef> {
  const ports = nicPorts(ctx);
  if (ports.networkAttachment) return ports.networkAttachment(nic.networkId);
  return networkAttachmentRef({ networkId: nic.networkId, projectId: ctx.vm.projectId });
}

/**
 * The VM's interface for a port: one Multus network per Neutron network (the network's Kube-OVN NAD,
 * "<namespace>/<nad>", provider `<nad>.<namespace>.ovn`), the port's MAC, and its addresses (IPv4
 * first, "v4,v6" when dual stack, as Kube-OVN reads them) as the Kube-OVN fixed-IP annotation
 * (kubevirt-api.md §1, §7).
 */
export function nicSpecFor(nic: VmInterface, attachment: NetworkAttachmentRef): NicSpec {
  const ips = [...nic.fixedIps].sort((a, b) => a.version - b.version).map((f) => f.ipAddress);
  return {
    name: nicName(nic.portId),
    network: attachment,
    macAddress: nic.macAddress,
    ...(ips.length > 0 ? { ipAddress: ips.join(',') } : {}),
  };
}

/** The interface name in the VM spec: a DNS-1123 label unique per port. */
export function nicName(portId: string): string {
  return `p${portId.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 63);
}
